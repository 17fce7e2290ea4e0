package io.llmgw.core.relay;

import io.llmgw.core.http.Headers;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.upstream.UpstreamExchange;
import io.llmgw.core.upstream.UpstreamListener;
import io.llmgw.core.upstream.UpstreamRequest;
import io.llmgw.core.upstream.UpstreamTransport;
import io.llmgw.core.web.ClientResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One exchange of a request, counted by the request's response while it goes on: what the listener
 * hears on the thread that sent it, before the send returned, runs there; what arrives later or on
 * another thread (an event loop, or the thread a stream moved to) runs as a part of the request
 * ({@link ClientResponse#resumed}) — with its error handling, ending the request once its answer is over.
 */
final class Resumed implements UpstreamListener, UpstreamExchange {
    private final UpstreamListener listener;
    private final ClientResponse out;
    private final Thread sender = Thread.currentThread();
    private final AtomicBoolean over = new AtomicBoolean();
    private volatile boolean sent;
    private UpstreamExchange exchange;

    private Resumed(UpstreamListener listener, ClientResponse out) {
        this.listener = listener;
        this.out = out;
    }

    /** Sends {@code request}; with no {@code out} (a caller that waits for the answer itself) the listener hears everything directly. */
    static void send(UpstreamTransport transport, UpstreamRequest request, RequestContext ctx, ClientResponse out,
                     UpstreamListener listener) {
        if (out == null) {
            transport.send(request, ctx::upstreamCancel, listener);
            return;
        }
        Resumed resumed = new Resumed(listener, out);
        out.exchangeStarted();
        try {
            transport.send(request, ctx::upstreamCancel, resumed);
        } finally {
            resumed.sent = true;
        }
    }

    @Override
    public void onHead(UpstreamExchange newExchange, int status, Headers headers) {
        exchange = newExchange;
        hear(() -> listener.onHead(this, status, headers));
    }

    @Override
    public void onBody(ByteBuffer bytes) {
        hear(() -> listener.onBody(bytes));
    }

    /*
     * The exchange counts as over only inside the part that hears its end, in the request's turn: counted
     * over before, the request's thread could see no exchange going on between the two — before the part
     * ran (a failover, say, starting the next exchange) — and end the request unanswered
     * (RequestWaitsForItsLastPartTest).
     */
    @Override
    public void onEnd() {
        hear(() -> {
            ended();
            listener.onEnd();
        });
    }

    @Override
    public void onFailure(IOException cause, boolean deadlinePassed) {
        hear(() -> {
            ended();
            listener.onFailure(cause, deadlinePassed);
        });
    }

    private void hear(Runnable call) {
        if (!sent && Thread.currentThread() == sender) {
            call.run();
        } else {
            out.resumed(call);
        }
    }

    private void ended() {
        if (over.compareAndSet(false, true)) {
            out.exchangeOver();
        }
    }

    @Override
    public void pause() {
        exchange.pause();
    }

    @Override
    public void resume() {
        exchange.resume();
    }

    @Override
    public void finish() {
        ended();
        exchange.finish();
    }

    @Override
    public void abort() {
        ended();
        exchange.abort();
    }
}
