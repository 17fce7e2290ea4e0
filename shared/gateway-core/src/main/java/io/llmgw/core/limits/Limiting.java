package io.llmgw.core.limits;

import io.llmgw.core.config.AccessConfig;
import io.llmgw.core.pipeline.ModelFilter;
import io.llmgw.core.state.StateStore;
import io.llmgw.core.telemetry.Metrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The access policies on model calls, in the order they run: allowed models (a 403 costs no
 * counter), pricing, rate limits, then budgets (the most expensive check, and the one a refused
 * rate limit should never have reserved).
 */
public final class Limiting {
    private Limiting() {}

    public static List<ModelFilter> filters(AccessConfig access, StateStore store, Metrics metrics, Clock clock) {
        StoreGuard guard = new StoreGuard(access.failClosed(), metrics);
        Prices prices = new Prices(access.prices());
        List<ModelFilter> filters = new ArrayList<>();
        filters.add(new ModelAccessFilter(access));
        filters.add(new CostFilter(prices, access));
        if (access.limitsAnything()) {
            filters.add(new RateLimitFilter(access, store, guard, clock));
        }
        if (!access.virtualKeys().isEmpty() || access.jwt() != null) {
            filters.add(new BudgetFilter(access, store, prices, guard, clock));
        }
        return List.copyOf(filters);
    }
}
