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

    /** Runs {@code filters} in order, then {@code last}. */
    static void run(java.util.List<? extends ModelFilter> filters, ModelCall call, Chain last) {
        new Chain() {
            private int next;

            @Override
            public void proceed(ModelCall current) {
                if (next < filters.size()) {
                    filters.get(next++).filter(current, this);
                } else {
                    last.proceed(current);
                }
            }
        }.proceed(call);
    }
}
