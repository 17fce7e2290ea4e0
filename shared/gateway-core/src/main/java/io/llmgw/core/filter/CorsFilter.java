package io.llmgw.core.filter;

import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.Headers;
import io.llmgw.core.web.Exchange;
import io.llmgw.core.web.HttpPolicy;

/**
 * Answers CORS preflights ({@code OPTIONS}): allowed origins get the preflight headers, others a
 * 403; an {@code OPTIONS} without an origin learns the methods. The CORS headers of ordinary
 * responses are {@link HttpPolicy#commonHeaders}'.
 */
public final class CorsFilter implements Filter.Check {
    private final HttpPolicy policy;

    public CorsFilter(HttpPolicy policy) {
        this.policy = policy;
    }

    @Override
    public Exchange check(Exchange exchange) {
        if (!exchange.request().method().equals("OPTIONS")) {
            return exchange;
        }
        Headers request = exchange.request().headers();
        String origin = request.first("origin");
        if (origin == null) {
            exchange.out().sendEmpty(204, Headers.of("allow", "GET, POST, DELETE, HEAD, OPTIONS"));
        } else if (policy.originAllowed(origin)) {
            exchange.out().sendEmpty(204, policy.preflightHeaders(request));
        } else {
            throw GatewayError.of(ErrorKind.PERMISSION, "Origin not allowed.", "cors_origin_not_allowed").exception();
        }
        return null;  // answered
    }
}
