package io.llmgw.app;

import io.netty.channel.Channel;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Back-pressure for a connection's answers. A writer on a thread of its own waits while the channel holds more than its high
 * water mark the client has not read ({@link ServerSettings#WRITE_HIGH_WATER_MARK}), and goes on once
 * it is below the low one, or fails once the connection is gone. The wait is the request's (or a
 * stream's) thread's, so an upstream read waits with it instead of the bytes piling up in the heap. A
 * lock and condition rather than a monitor: the writers are mostly virtual threads. An answer relayed on
 * the event loop itself must never wait: it asks to hear when the client takes more ({@link #whenWritable})
 * and pauses its upstream read until then.
 */
final class Writability {
    private final Channel channel;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** What waits, on the loop, for the client to take more ({@link #whenWritable}); touched on the loop only. */
    private final ArrayDeque<Runnable> waiters = new ArrayDeque<>(1);

    Writability(Channel channel) {
        this.channel = channel;
    }

    /** On a writer's thread, never the event loop's: waits until the channel is writable again, or closed. */
    void await() throws IOException {
        lock.lock();
        try {
            while (!channel.isWritable() && channel.isActive()) {
                changed.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the client read its answer");
        } finally {
            lock.unlock();
        }
        if (!channel.isActive()) {
            throw new ClosedChannelException();
        }
    }

    /** Runs {@code then} on the loop once the client has read enough of what is queued, or is gone. */
    void whenWritable(Runnable then) {
        channel.eventLoop().execute(() -> {
            if (channel.isWritable() || !channel.isActive()) {
                then.run();
            } else {
                waiters.add(then);
            }
        });
    }

    /** On the event loop: the channel became writable, or closed; the waiting writers look again. */
    void changed() {
        if (channel.isWritable() || !channel.isActive()) {
            for (Runnable waiter; (waiter = waiters.poll()) != null; ) {
                waiter.run();
            }
        }
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
