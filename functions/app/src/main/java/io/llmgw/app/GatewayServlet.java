package io.llmgw.app;

import io.llmgw.core.GatewayRequest;
import io.llmgw.core.http.Headers;
import io.llmgw.core.secrets.LiveGateway;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;

/**
 * Turns each servlet request into a {@link GatewayRequest} and answers through a {@link ServletStreamSink};
 * a refresh of the secrets that the request asked for runs afterwards on its own virtual thread.
 */
final class GatewayServlet extends HttpServlet {
    private final transient LiveGateway gateway;

    GatewayServlet(LiveGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Headers headers = new Headers();
        for (String name : Collections.list(request.getHeaderNames())) {
            for (String value : Collections.list(request.getHeaders(name))) {
                headers.add(name, value);
            }
        }
        byte[] body = GatewayRequest.readBody(request.getInputStream(), request.getContentLengthLong(), GatewayRequest.MAX_BODY_BYTES);
        GatewayRequest gatewayRequest = new GatewayRequest(request.getMethod(), request.getRequestURI(), request.getQueryString(),
                headers, body, request.getRemoteAddr(), null);
        gateway.handle(gatewayRequest, new ServletStreamSink(response));
        if (gateway.refreshRequested()) {
            Thread.ofVirtual().name("secret-refresh").start(gateway::refreshIfRequested);
        }
    }
}
