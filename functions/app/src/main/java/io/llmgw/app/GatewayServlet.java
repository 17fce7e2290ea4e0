package io.llmgw.app;

import io.llmgw.core.LiveGateway;
import io.llmgw.core.http.Headers;
import io.llmgw.core.web.GatewayRequest;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;

/**
 * The gateway as a servlet, for the AWS Lambda HTTP API package (aws-serverless-java-container, which
 * hands it each API Gateway event as a servlet request; the local process and the container serve
 * through {@link GatewayServer}). Turns the request into a {@link GatewayRequest}, whose body is read
 * only when the gateway asks for it (after authentication), and answers through a
 * {@link ServletStreamSink}. A refresh of the secrets that the request asked for runs afterwards on
 * its own virtual thread.
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
        GatewayRequest gatewayRequest = new GatewayRequest(request.getMethod(), request.getRequestURI(), request.getQueryString(),
                headers, GatewayRequest.streamed(request.getInputStream(), request.getContentLengthLong()), request.getRemoteAddr(),
                null, null);
        gateway.handle(gatewayRequest, new ServletStreamSink(response));
        SecretRefresh.startIfRequested(gateway);
    }
}
