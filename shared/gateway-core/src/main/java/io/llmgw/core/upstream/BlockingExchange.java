package io.llmgw.core.upstream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An answer of {@link UpstreamClient} pushed to its listener one blocking read at a time, on the
 * thread that sent the request — or, after a {@link #pause}, on the thread that resumes it (a stream
 * moving to a thread of its own). One thread reads at a time: a resume waits until the thread that
 * paused has left its read loop, which it does as soon as the listener's call returns.
 */
final class BlockingExchange implements UpstreamExchange {
    /** A body of unknown length (a stream) is read this much at a time at first: SSE events are small, and a stream keeps its buffer. */
    private static final int FIRST_READ_BYTES = 512;
    /** Reads of a body of unknown length that fill the buffer double it, up to this. */
    private static final int LARGEST_STREAM_READ_BYTES = 2048;
    /** A body of known length is read up to this much at a time. */
    private static final int LARGEST_READ_BYTES = 16 * 1024;

    private final UpstreamResponse response;
    private final UpstreamListener listener;
    private final ReentrantLock reading = new ReentrantLock();
    private volatile boolean paused;
    private volatile boolean over;
    private boolean headed;
    private byte[] buffer;

    private BlockingExchange(UpstreamResponse response, UpstreamListener listener) {
        this.response = response;
        this.listener = listener;
    }

    /** Hands the listener the head, then the body as it is read, until the body is over or the listener pauses. */
    static void start(UpstreamResponse response, UpstreamListener listener) {
        new BlockingExchange(response, listener).read();
    }

    private void read() {
        reading.lock();
        boolean left = false;  // false while what the listener throws would leave the connection open
        try {
            if (!headed) {
                headed = true;
                listener.onHead(this, response.status(), response.headers());
                response.releaseHeaders();  // nobody reads them again, and a stream keeps this exchange for minutes
            }
            while (!over && !paused) {
                byte[] into = buffer();
                int n;
                try {
                    n = response.body().read(into, 0, into.length);
                } catch (IOException e) {
                    over = true;
                    response.close();
                    left = true;
                    listener.onFailure(e, response.deadlinePassed());
                    return;
                }
                if (n < 0) {
                    over = true;
                    response.close();  // read to its end: the connection goes back to the pool
                    left = true;
                    listener.onEnd();
                    return;
                }
                listener.onBody(ByteBuffer.wrap(into, 0, n));
                if (n == into.length && response.declaredLength() < 0 && into.length < LARGEST_STREAM_READ_BYTES) {
                    buffer = new byte[into.length * 2];  // the body comes faster than it is read
                }
            }
            left = true;
        } finally {
            if (!left && !over) {
                over = true;
                response.close();
            }
            reading.unlock();
        }
    }

    private byte[] buffer() {
        if (buffer == null) {
            long declared = response.declaredLength();
            buffer = new byte[declared < 0 ? FIRST_READ_BYTES : (int) Math.max(1, Math.min(declared, LARGEST_READ_BYTES))];
        }
        return buffer;
    }

    @Override
    public void pause() {
        paused = true;
    }

    /** Waits for the thread that paused to leave its read loop (only then is the pause lifted), and reads on here. */
    @Override
    public void resume() {
        reading.lock();
        try {
            paused = false;
            read();
        } finally {
            reading.unlock();
        }
    }

    @Override
    public void finish() {
        over = true;
        response.closeAtEnd();
    }

    @Override
    public void abort() {
        over = true;
        response.close();
    }
}
