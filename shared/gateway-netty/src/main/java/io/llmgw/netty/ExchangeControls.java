package io.llmgw.netty;

import io.llmgw.core.upstream.UpstreamExchange;
import io.netty.channel.EventLoop;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The listener's controls of one {@link Exchange}, callable from any thread. The exchange changes
 * only on its loop, so each call is handed there (run at once when made on it); what must hold from
 * the moment the call returns is marked here first, for the loop to read before each listener call:
 * no body after {@link #pause}, nothing at all after {@link #finish} or {@link #abort}.
 */
final class ExchangeControls implements UpstreamExchange {
    private final Exchange exchange;
    private final EventLoop loop;
    /**
     * Whether the body is paused (the low bit) and how many pause and resume calls came (the rest),
     * changed together: a resume handed to the loop does nothing once a later call came, and a pause
     * is never lost to a resume that was already on its way.
     */
    private final AtomicInteger pauses = new AtomicInteger();
    private volatile boolean finishWanted;
    private volatile boolean abortWanted;

    ExchangeControls(Exchange exchange, EventLoop loop) {
        this.exchange = exchange;
        this.loop = loop;
    }

    @Override
    public void pause() {
        pauses.updateAndGet(calls -> (calls | 1) + 2);
        onLoop(exchange::stopReading);
    }

    @Override
    public void resume() {
        int call = pauses.updateAndGet(calls -> (calls & ~1) + 2);
        // always a task of its own, also on the loop: a resume inside onBody must not deliver what was
        // held from inside that call
        execute(() -> {
            if (pauses.get() == call) {
                exchange.resumeReading();
            }
        });
    }

    @Override
    public void finish() {
        finishWanted = true;
        onLoop(exchange::finishNow);
    }

    @Override
    public void abort() {
        abortWanted = true;
        onLoop(exchange::drop);
    }

    boolean paused() {
        return (pauses.get() & 1) != 0;
    }

    boolean finishWanted() {
        return finishWanted;
    }

    boolean abortWanted() {
        return abortWanted;
    }

    /** The listener said it needs nothing more. */
    boolean listenerDone() {
        return finishWanted || abortWanted;
    }

    /** Runs {@code action} now when on the loop, else hands it to the loop. */
    void onLoop(Runnable action) {
        if (loop.inEventLoop()) {
            action.run();
        } else {
            execute(action);
        }
    }

    private void execute(Runnable action) {
        try {
            loop.execute(action);
        } catch (RejectedExecutionException e) {
            // the loop has shut down, and closed the exchange's connection as it did
        }
    }
}
