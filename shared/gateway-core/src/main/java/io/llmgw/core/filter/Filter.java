package io.llmgw.core.filter;

import io.llmgw.core.web.Exchange;

/**
 * One policy between a request and its endpoint: it answers early (throwing the error the client
 * gets in its own dialect, or writing an answer) or passes the exchange on, possibly changed (an
 * authenticated caller) — and since the chain runs on the request's thread, whatever follows
 * {@code proceed} runs once the answer is complete.
 */
@FunctionalInterface
public interface Filter {
    void filter(Exchange exchange, Chain chain);

    /** The rest of the chain, ending at the endpoint. */
    @FunctionalInterface
    interface Chain {
        void proceed(Exchange exchange);
    }

    /** Runs {@code filters} in order, then {@code last}. */
    static void run(java.util.List<? extends Filter> filters, Exchange exchange, Chain last) {
        new Chain() {
            private int next;

            @Override
            public void proceed(Exchange current) {
                if (next < filters.size()) {
                    filters.get(next++).filter(current, this);
                } else {
                    last.proceed(current);
                }
            }
        }.proceed(exchange);
    }
}
