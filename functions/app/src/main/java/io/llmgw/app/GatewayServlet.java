package io.llmgw.app;

import io.llmgw.core.web.GatewayRequest;
import io.llmgw.core.http.Headers;
import io.llmgw.core.LiveGateway;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;

/**
 * Turns each servlet request into a {@link GatewayRequest} and answers through a
 * {@link ServletStreamSink}. The body is read only when the gateway asks for it (after
 * authentication); from then until the first byte of the answer, a {@link ConnectionWatch} looks
 * for a client that went away, so a long upstream call can be cancelled. A refresh of the secrets
 * that the request asked for runs afterwards on its own virtual thread. A stream that lasts goes on
 * after {@code service} returns, on a thread of its own ({@link ServletStreamSink#detach}).
 */
final class GatewayServlet extends HttpServlet {
    /**
     * After a 413, up to this much more of the body is read and discarded, so a client that sends
     * its whole body before reading (Python's urllib and many other libraries do) sees the 413
     * instead of a reset connection. Only a caller who authenticated gets that far.
     */
    static final long REFUSED_BODY_BYTES = 32L * 1024 * 1024;
    static final long REFUSED_BODY_MILLIS = 10_000;
    /**
     * A request refused before its body mattered (no key, a wrong one, an unknown route): what
     * arrives within this grace is discarded, then the connection is closed. A caller who never
     * authenticated cannot hold a connection, and the memory it costs, for long.
     */
    static final long UNREAD_BODY_BYTES = 1024 * 1024;
    static final long UNREAD_BODY_MILLIS = 2_000;
    private final transient LiveGateway gateway;
    private final transient ConnectionWatch.Factory watches;

    GatewayServlet(LiveGateway gateway, ConnectionWatch.Factory watches) {
        this.gateway = gateway;
        this.watches = watches;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Headers headers = new Headers();
        for (String name : Collections.list(request.getHeaderNames())) {
            for (String value : Collections.list(request.getHeaders(name))) {
                headers.add(name, value);
            }
        }
        ConnectionWatch watch = watches.apply(request);
        ServletStreamSink sink = new ServletStreamSink(request, response, watch);
        GatewayRequest.BodySource body = GatewayRequest.streamed(request.getInputStream(), request.getContentLengthLong());
        boolean[] bodyWanted = {false};
        GatewayRequest gatewayRequest = new GatewayRequest(request.getMethod(), request.getRequestURI(), request.getQueryString(),
                headers, limit -> {
                    bodyWanted[0] = true;
                    byte[] read = body.read(limit);
                    sink.bodyRead();
                    return read;
                }, request.getRemoteAddr(), null, null);
        try {
            gateway.handle(gatewayRequest, sink);
        } finally {
            sink.done();
        }
        if (gateway.refreshRequested()) {
            Thread.ofVirtual().name("secret-refresh").start(gateway::refreshIfRequested);
        }
        if (!sink.detached() && (request.getContentLengthLong() > 0 || request.getHeader("transfer-encoding") != null)) {
            if (bodyWanted[0]) {
                watch.drain(REFUSED_BODY_BYTES, REFUSED_BODY_MILLIS);  // what is left of a body refused part-way (413)
            } else {
                watch.drain(UNREAD_BODY_BYTES, UNREAD_BODY_MILLIS);  // refused before the body mattered
            }
        }
    }
}
