package io.llmgw.core.limits;

import io.llmgw.core.config.AccessConfig;
import io.llmgw.core.config.AccessConfig.Budget;
import io.llmgw.core.config.AccessConfig.Price;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.model.Usage;
import io.llmgw.core.pipeline.ModelCall;
import io.llmgw.core.pipeline.ModelFilter;
import io.llmgw.core.spi.Deployment;
import io.llmgw.core.state.StateStore;
import io.llmgw.core.telemetry.RequestContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Spend per key and team over a day or a month, in tokens and in US dollars, kept in the state
 * store. Each call first reserves its worst case — estimated input plus its output cap, priced at
 * the dearest deployment of its route — so concurrent calls on any instance cannot together pass
 * the budget; when it ends the reservation is settled to what the call really used (all of it given
 * back when the call failed without a usage report, or was answered from the response cache). The same counters are the usage the admin
 * route shows, so keys and teams without a budget are counted too.
 */
final class BudgetFilter implements ModelFilter.Check {
    /** Reserved as output when neither the request nor the deployment caps it. */
    static final int DEFAULT_OUTPUT_RESERVE = 4096;

    private final AccessConfig access;
    private final StateStore store;
    private final Prices prices;
    private final StoreGuard guard;
    private final Clock clock;

    BudgetFilter(AccessConfig access, StateStore store, Prices prices, StoreGuard guard, Clock clock) {
        this.access = access;
        this.store = store;
        this.prices = prices;
        this.guard = guard;
        this.clock = clock;
    }

    /**
     * A reservation taken on one counter.
     *
     * @param counted false when the store could not be reached and the call went ahead uncounted
     */
    private record Held(String key, long amount, Instant keepUntil, boolean counted) {}

    @Override
    public void check(ModelCall call) {
        List<Scope> scopes = Scope.of(call, access, List.of()).stream()
                .filter(s -> s.kind().equals("key") || s.kind().equals("team")).toList();
        if (scopes.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        long worstTokens = Math.max(1, call.estimatedTokens()) + outputCap(call);
        long worstMicros = (long) Math.ceil(worstCaseUsd(call, worstTokens - Math.max(1, call.estimatedTokens())) * 1_000_000);
        List<Held> tokens = new ArrayList<>();
        List<Held> micros = new ArrayList<>();
        try {
            for (Scope scope : scopes) {
                Budget budget = scope.budget();
                BudgetPeriod period = BudgetPeriod.of(budget.period(), now);
                tokens.add(take(scope, "tok", period, worstTokens, budget.tokens()));
                micros.add(take(scope, "usd", period, worstMicros, Math.round(budget.usd() * 1_000_000)));
            }
        } catch (RuntimeException refused) {
            settle(tokens, 0);
            settle(micros, 0);
            throw refused;
        }
        RequestContext ctx = call.exchange().ctx();
        call.exchange().out().atEnd(() -> {  // once the answer is over, a stream's too
            Usage usage = ctx.servedFromCache() ? null : ctx.usage();  // a cached answer used no upstream tokens
            settle(tokens, usage == null ? 0 : (long) usage.input() + usage.output());
            settle(micros, ctx.costUsd() == null ? 0 : Math.round(ctx.costUsd() * 1_000_000));
        });
    }

    /** Reserves {@code amount} on the scope's counter: against the budget when there is one, as a plain count otherwise. */
    private Held take(Scope scope, String unit, BudgetPeriod period, long amount, long limit) {
        String key = counterKey(unit, scope.id(), period);
        if (amount == 0) {
            return new Held(key, 0, period.keepUntil(), true);  // unpriced: nothing to reserve, the real cost is still counted
        }
        Boolean granted = guard.before("budget", () -> limit > 0
                ? store.reserve(key, amount, limit, period.keepUntil()).granted()
                : store.add(key, amount, period.keepUntil()) >= 0, null);
        if (granted == null) {
            return new Held(key, 0, period.keepUntil(), false);
        }
        if (!granted) {
            throw exhausted(scope, unit, limit, period);
        }
        return new Held(key, amount, period.keepUntil(), true);
    }

    private void settle(List<Held> held, long actual) {
        for (Held h : held) {
            long difference = actual - h.amount();
            if (h.counted() && difference != 0) {
                guard.after("budget_settle", () -> store.add(h.key(), difference, h.keepUntil()));
            }
        }
    }

    static String counterKey(String unit, String scopeId, BudgetPeriod period) {
        return "us:" + unit + ":" + scopeId + ":" + period.name();
    }

    private static long outputCap(ModelCall call) {
        if (call.maxOutputTokens() != null) {
            return call.maxOutputTokens();
        }
        return call.route().deployments().stream().map(Deployment::maxOutputTokens).filter(java.util.Objects::nonNull)
                .mapToLong(Integer::longValue).max().orElse(DEFAULT_OUTPUT_RESERVE);
    }

    /** The dearest deployment's price for the worst case: failover may land on any of them. */
    private double worstCaseUsd(ModelCall call, long outputTokens) {
        double worst = 0;
        for (Deployment deployment : call.route().deployments()) {
            Price price = prices.find(call.model(), deployment, null);
            if (price != null) {
                worst = Math.max(worst, Prices.worstCase(price, Math.max(1, call.estimatedTokens()), outputTokens));
            }
        }
        return worst;
    }

    private static RuntimeException exhausted(Scope scope, String unit, long limit, BudgetPeriod period) {
        String amount = unit.equals("usd") ? String.format(Locale.ROOT, "$%.2f", limit / 1_000_000.0) : limit + " tokens";
        return GatewayError.of(ErrorKind.QUOTA, "The budget of " + RateLimitFilter.describe(scope) + " (" + amount + " until "
                + period.end() + ") does not cover this request; it resets at " + period.end() + ".", "budget_exceeded").exception();
    }
}
