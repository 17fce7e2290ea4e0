package io.llmgw.core.filter;

import io.llmgw.core.web.Exchange;

/**
 * One policy between a request and its endpoint: it answers early (throwing the error the client
 * gets in its own dialect, or writing an answer) or passes the exchange on, possibly changed (an
 * authenticated caller). What must happen once the request is over goes in
 * {@link io.llmgw.core.web.ClientResponse#atEnd}, not after {@code proceed}: an answer may
 * still be on its way, arriving on another thread, when {@code proceed} returns.
 */
@FunctionalInterface
public interface Filter {
    void filter(Exchange exchange, Chain chain);

    /** The rest of the chain, ending at the endpoint. */
    @FunctionalInterface
    interface Chain {
        void proceed(Exchange exchange);
    }

    /**
     * A filter with nothing to do once the rest of the chain has run: it checks the exchange, and
     * lets it through (possibly changed), answers it or throws. The chain runs checks one after the
     * other instead of each inside the one before (two stack frames fewer per check on the request's
     * thread).
     */
    interface Check extends Filter {
        /** @return the exchange the chain goes on with, or null when this check answered it */
        Exchange check(Exchange exchange);

        @Override
        default void filter(Exchange exchange, Chain chain) {
            Exchange next = check(exchange);
            if (next != null) {
                chain.proceed(next);
            }
        }
    }

    /** Runs {@code filters} in order, then {@code last}. */
    static void run(java.util.List<? extends Filter> filters, Exchange exchange, Chain last) {
        new Chain() {
            private int next;

            @Override
            public void proceed(Exchange current) {
                while (next < filters.size()) {
                    Filter filter = filters.get(next++);
                    if (!(filter instanceof Check check)) {
                        filter.filter(current, this);
                        return;
                    }
                    current = check.check(current);
                    if (current == null) {
                        return;
                    }
                }
                last.proceed(current);
            }
        }.proceed(exchange);
    }
}
