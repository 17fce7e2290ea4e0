package io.llmgw.core.pipeline;

/**
 * A policy on a decoded, routed model request (per-key rate limits, budgets, the response cache):
 * it answers early — throwing the error the client gets in its own dialect, or writing a whole
 * answer — or lets the call proceed. What it settles once the request is over (from its status and
 * usage in the request context) goes in an end step, {@code call.exchange().out().atEnd(...)}: a
 * answer may still be on its way, arriving on another thread, when {@code proceed} returns. What
 * an end step or a callback reads it takes from the call before: a stream lets go of the decoded
 * request once it is committed (docs/architecture.md).
 */
@FunctionalInterface
public interface ModelFilter {
    void filter(ModelCall call, Chain chain);

    @FunctionalInterface
    interface Chain {
        void proceed(ModelCall call);
    }

    /**
     * A filter that checks the call (and arranges any end step or callback) and lets it through, or
     * throws. Run one after the other rather than nested, like {@link io.llmgw.core.filter.Filter.Check}.
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
