package io.llmgw.core.filter;

import io.llmgw.core.web.Exchange;

/**
 * Reads the request body — only now, after authentication and admission, so no one who could not
 * be served makes the gateway hold a body; bounded, with a 413 beyond the limit (see
 * {@link io.llmgw.core.web.GatewayRequest#body()}).
 */
public final class BodyFilter implements Filter.Check {
    @Override
    public Exchange check(Exchange exchange) {
        if (exchange.credential() != null) {
            exchange.request().body();
        }
        return exchange;
    }
}
