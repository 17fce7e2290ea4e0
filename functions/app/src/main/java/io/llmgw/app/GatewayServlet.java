package io.llmgw.app;

import io.llmgw.core.web.GatewayRequest;
import io.llmgw.core.http.Headers;
import io.llmgw.core.LiveGateway;
import jakarta.servlet.ServletInputStream;
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
 * that the request asked for runs afterwards on its own virtual thread.
 */
final class GatewayServlet extends HttpServlet {
    /** How much of a refused body is read and discarded so that the client sees the answer. */
    static final long DISCARD_LIMIT_BYTES = 32L * 1024 * 1024;
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
        ServletStreamSink sink = new ServletStreamSink(response, watch);
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
        boolean hasBody = request.getContentLengthLong() > 0 || request.getHeader("transfer-encoding") != null;
        if (!bodyWanted[0] && hasBody) {
            watch.drainBriefly();  // refused before the body mattered
        } else if (hasBody) {
            discardRest(request.getInputStream());  // a body over the limit was refused part-way
        }
    }

    /**
     * After a 413, reads and discards up to {@link #DISCARD_LIMIT_BYTES} more of the body, so a
     * client that sends its whole body before reading (Python's urllib and many other libraries
     * do) sees the 413 instead of a reset connection. Beyond that limit the servlet returns with the
     * body unfinished and Jetty closes the connection. Only a caller who authenticated gets here.
     */
    private static void discardRest(ServletInputStream in) {
        byte[] buffer = new byte[8192];
        long total = 0;
        try {
            while (total < DISCARD_LIMIT_BYTES && !in.isFinished()) {
                int n = in.read(buffer);
                if (n < 0) {
                    return;
                }
                total += n;
            }
        } catch (IOException e) {
            // the client went away or stopped sending (the connection's idle timeout)
        }
    }
}
