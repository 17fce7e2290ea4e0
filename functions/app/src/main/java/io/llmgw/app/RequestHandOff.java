package io.llmgw.app;

import io.llmgw.core.LiveGateway;
import io.llmgw.core.web.GatewayRequest;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a request leaves its connection's event loop: the gateway's request path blocks (the body
 * read, the upstream exchange, writes to a slow client), so each request runs on a request thread
 * ({@link RequestThreads}: a pooled platform thread, a virtual one beyond the pool), as it did under
 * the servlet container. This is the one place that knows it: once the gateway can complete a request
 * on the loop, {@link #serve} calls it there instead (docs/decisions.md).
 */
final class RequestHandOff {
    private static final Logger LOG = LoggerFactory.getLogger(RequestHandOff.class);

    private final LiveGateway gateway;
    private final Executor threads;

    RequestHandOff(LiveGateway gateway, Executor threads) {
        this.gateway = gateway;
        this.threads = threads;
    }

    /** Serves {@code request} into {@code sink} on a request thread; a committed stream may go on after it returns. */
    void serve(GatewayRequest request, ChannelStreamSink sink) {
        threads.execute(() -> {
            try {
                gateway.handle(request, sink);
            } catch (RuntimeException e) {
                // The gateway answers its own failures; this is one from before it could (it was closed at shutdown).
                LOG.atWarn().setMessage("request not served").addKeyValue("error", e.toString()).log();
            } finally {
                sink.handlerReturned();
            }
            SecretRefresh.startIfRequested(gateway);
        });
    }
}
