package io.llmgw.core.filter;

import io.llmgw.core.web.ClientResponse;
import io.llmgw.core.web.Exchange;

/**
 * Reads the request body — only now, after authentication and admission, so no one who could not
 * be served makes the gateway hold a body; bounded, with a 413 beyond the limit (see
 * {@link io.llmgw.core.web.GatewayRequest#body()}). A body still arriving on a platform that can tell
 * when it is whole ({@link io.llmgw.core.web.GatewayRequest#whenBodyReadable}) holds no thread: the
 * chain goes on then, as a part of the request that arrived later ({@link ClientResponse#resumed}).
 */
public final class BodyFilter implements Filter {
    @Override
    public void filter(Exchange exchange, Chain chain) {
        if (exchange.credential() == null) {
            chain.proceed(exchange);
            return;
        }
        ClientResponse out = exchange.out();
        out.exchangeStarted();  // the request waits for something that arrives on another thread's turn
        if (exchange.request().whenBodyReadable(() -> out.resumed(() -> {
            out.exchangeOver();
            read(exchange, chain);
        }))) {
            return;
        }
        out.exchangeOver();
        read(exchange, chain);
    }

    private static void read(Exchange exchange, Chain chain) {
        exchange.request().body();
        chain.proceed(exchange);
    }
}
