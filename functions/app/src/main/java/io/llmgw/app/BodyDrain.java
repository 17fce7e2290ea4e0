package io.llmgw.app;

import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * After an answer, what is left of its request body is read and dropped within a bound, so that a
 * client that sends its whole body before reading sees the answer: {@link #REFUSED_BODY_BYTES} in
 * {@link #REFUSED_BODY_MILLIS} for a body refused part-way (a 413: only a caller who authenticated gets
 * that far), {@link #UNREAD_BODY_BYTES} in {@link #UNREAD_BODY_MILLIS} for one refused before it
 * mattered (no key, an unknown route: a caller who never authenticated cannot hold a connection);
 * beyond either the connection is closed. One per connection, on its event loop.
 */
final class BodyDrain {
    static final long REFUSED_BODY_BYTES = 32L * 1024 * 1024;
    static final long REFUSED_BODY_MILLIS = 10_000;
    static final long UNREAD_BODY_BYTES = 1024 * 1024;
    static final long UNREAD_BODY_MILLIS = 2_000;

    /** How much of the body may still come while a drain runs; -1 otherwise. */
    private long allowance = -1;
    private ScheduledFuture<?> deadline;

    /** Starts dropping the rest of a body: one the gateway read part of ({@code refused}) or never asked for. */
    void start(ChannelHandlerContext ctx, boolean refused) {
        allowance = refused ? REFUSED_BODY_BYTES : UNREAD_BODY_BYTES;
        deadline = ctx.executor().schedule(() -> {
            ctx.close();  // the answer is out: closed rather than waiting longer for a body nobody reads
        }, refused ? REFUSED_BODY_MILLIS : UNREAD_BODY_MILLIS, TimeUnit.MILLISECONDS);
    }

    boolean running() {
        return allowance >= 0;
    }

    /** Whether {@code discarded} bytes are more than the drain allows. */
    boolean exceeded(long discarded) {
        return discarded > allowance;
    }

    void end() {
        allowance = -1;
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
