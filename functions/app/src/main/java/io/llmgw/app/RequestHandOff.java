package io.llmgw.app;

import io.llmgw.core.LiveGateway;
import io.llmgw.core.web.GatewayRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a request is served: on its connection's event loop when the gateway can serve it there
 * without that thread ever waiting ({@link io.llmgw.core.Gateway#servesWithoutWaiting}: a model call
 * whose answer comes back on the same loop through the upstream transport; its body, when still
 * arriving, is awaited without holding the loop: {@link RequestBody#whenReadable}), or
 * on a request thread ({@link RequestThreads}: a pooled platform thread, a virtual one beyond the pool)
 * when something on its way may wait (a shared store, the models list).
 */
final class RequestHandOff {
    private static final Logger LOG = LoggerFactory.getLogger(RequestHandOff.class);

    private final LiveGateway gateway;
    private final RequestThreads threads;

    RequestHandOff(LiveGateway gateway, RequestThreads threads) {
        this.gateway = gateway;
        this.threads = threads;
    }

    /** Whether a request with this method and path may be served on the loop, once its body is in. */
    boolean onTheLoop(String method, String path) {
        return gateway.current().servesWithoutWaiting(method, path);
    }

    /**
     * Serves {@code request} into {@code sink} on a request thread; its answer may go on after that thread
     * returns. False when no thread could be had (the caller answers 503).
     */
    boolean serve(GatewayRequest request, ChannelStreamSink sink) {
        try {
            threads.execute(() -> serveHere(request, sink));
            return true;
        } catch (RuntimeException | OutOfMemoryError noThread) {
            LOG.atWarn().setMessage("no thread to serve a request on").addKeyValue("error", noThread.toString()).log();
            return false;
        }
    }

    /** Pooled request threads now: none while every request was served on the loops. */
    int platformThreads() {
        return threads.platformThreads();
    }

    /** Runs a part of a request served on the loop on a request thread instead; here when no thread can be had. */
    void elsewhere(Runnable part) {
        try {
            threads.execute(part);
        } catch (RuntimeException | OutOfMemoryError noThread) {
            LOG.atWarn().setMessage("no thread to go on with a request on").addKeyValue("error", noThread.toString()).log();
            part.run();
        }
    }

    /**
     * Serves {@code request} on this thread (the loop's, for a request {@link #onTheLoop} allows); the
     * answer goes on as the upstream's bytes arrive. The sink hears when the request is over.
     */
    void serveHere(GatewayRequest request, ChannelStreamSink sink) {
        try {
            gateway.handle(request, sink, sink::requestEnded);
        } catch (RuntimeException e) {
            // The gateway answers its own failures; this is one from before it could (it was closed at shutdown).
            LOG.atWarn().setMessage("request not served").addKeyValue("error", e.toString()).log();
            sink.requestEnded();
        }
        SecretRefresh.startIfRequested(gateway);
    }
}
