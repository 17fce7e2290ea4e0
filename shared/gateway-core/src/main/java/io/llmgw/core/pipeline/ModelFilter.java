package io.llmgw.core.pipeline;

/**
 * A policy on a decoded, routed model request (per-key rate limits, budgets, the response cache):
 * it answers early — throwing the error the client gets in its own dialect, or writing a whole
 * answer — or lets the call proceed. Chains run on the request's thread, so whatever follows
 * {@code proceed} sees the finished request (its status and usage in the request context). What a
 * filter reads after {@code proceed}, or in a callback, it takes from the call before: a stream lets
 * go of the decoded request once it is committed (docs/architecture.md).
 */
@FunctionalInterface
public interface ModelFilter {
    void filter(ModelCall call, Chain chain);

    @FunctionalInterface
    interface Chain {
        void proceed(ModelCall call);
    }

    /**
     * A filter with nothing to do once the call is over: it checks the call (or arranges a callback)
     * and lets it through, or throws. Run one after the other rather than nested, like
     * {@link io.llmgw.core.filter.Filter.Check}, so a stream does not keep their frames.
     */
    interface Check extends ModelFilter {
        /** Throws to refuse the call; returning lets it through. */
        void check(ModelCall call);

        @Override
        default void filter(ModelCall call, Chain chain) {
            check(call);
            chain.proceed(call);
        }
    }

    /** Runs {@code filters} in order, then {@code last}. */
    static void run(java.util.List<? extends ModelFilter> filters, ModelCall call, Chain last) {
        new Chain() {
            private int next;

            @Override
            public void proceed(ModelCall current) {
                while (next < filters.size()) {
                    ModelFilter filter = filters.get(next++);
                    if (!(filter instanceof Check check)) {
                        filter.filter(current, this);
                        return;
                    }
                    check.check(current);
                }
                last.proceed(current);
            }
        }.proceed(call);
    }
}
