package io.llmgw.core.limits;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bucket4j.BucketConfiguration;
import io.llmgw.core.config.AccessConfig;
import io.llmgw.core.config.AccessConfig.Budget;
import io.llmgw.core.config.AccessConfig.Limits;
import io.llmgw.core.config.AccessConfig.Policy;
import io.llmgw.core.config.AccessConfig.VirtualKey;
import io.llmgw.core.json.Json;
import io.llmgw.core.state.StateStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code GET /admin/usage}: for every virtual key and team, and for the model and gateway-wide
 * limits, what is configured, what is left in each rate limit now, and the current budget period's
 * usage (reservations of calls in flight included) — read from the shared store, so every instance
 * shows the same figures. Token subjects (JWT) are counted too but not listed: they are not known
 * in advance.
 */
public final class UsageReport {
    private final AccessConfig access;
    private final StateStore store;
    private final Clock clock;

    public UsageReport(AccessConfig access, StateStore store, Clock clock) {
        this.access = access;
        this.store = store;
        this.clock = clock;
    }

    public byte[] render() {
        Instant now = clock.instant();
        ObjectNode root = Json.object();
        root.put("store", store.kind());
        root.put("at", now.toString());
        ArrayNode keys = root.putArray("keys");
        for (VirtualKey key : access.virtualKeys()) {
            ObjectNode node = keys.addObject();
            node.put("name", key.name());
            node.put("team", key.team());
            node.put("expires", key.expires() == null ? null : key.expires().toString());
            policy(node, "key:" + key.name(), key.policy(), now);
        }
        ObjectNode teams = root.putObject("teams");
        access.teams().forEach((name, policy) -> policy(teams.putObject(name), "team:" + name, policy, now));
        ObjectNode models = root.putObject("models");
        access.perModel().forEach((name, limits) -> limits(models.putObject(name), "model:" + name, limits));
        if (access.global().any()) {
            limits(root.putObject("global"), "global", access.global());
        }
        return Json.bytes(root);
    }

    private void policy(ObjectNode node, String scopeId, Policy policy, Instant now) {
        ArrayNode models = node.putArray("models");
        policy.models().forEach(models::add);
        limits(node, scopeId, policy.limits());
        Budget budget = policy.budget();
        BudgetPeriod period = BudgetPeriod.of(budget.period(), now);
        ObjectNode usage = node.putObject("usage");
        usage.put("period", budget.period().name().toLowerCase(java.util.Locale.ROOT));
        usage.put("period_end", period.end().toString());
        try {
            long tokens = store.get(BudgetFilter.counterKey("tok", scopeId, period));
            long micros = store.get(BudgetFilter.counterKey("usd", scopeId, period));
            usage.put("tokens", tokens);
            usage.put("usd", micros / 1_000_000.0);
            if (budget.tokens() > 0) {
                usage.put("tokens_budget", budget.tokens());
                usage.put("tokens_remaining", Math.max(0, budget.tokens() - tokens));
            }
            if (budget.usd() > 0) {
                usage.put("usd_budget", budget.usd());
                usage.put("usd_remaining", Math.max(0, Math.round(budget.usd() * 1_000_000) - micros) / 1_000_000.0);
            }
        } catch (RuntimeException e) {
            usage.put("error", "the state store could not be read");
        }
    }

    private void limits(ObjectNode node, String scopeId, Limits limits) {
        ObjectNode out = node.putObject("limits");
        if (limits.requestsPerMinute() > 0) {
            out.put("requests_per_minute", limits.requestsPerMinute());
            out.put("burst", limits.requestCapacity());
            remaining(out, "requests_remaining", "rl:req:" + scopeId, limits.requestCapacity());
        }
        if (limits.tokensPerMinute() > 0) {
            out.put("tokens_per_minute", limits.tokensPerMinute());
            remaining(out, "tokens_remaining", "rl:tok:" + scopeId, limits.tokensPerMinute());
        }
        if (limits.concurrent() > 0) {
            out.put("concurrent", limits.concurrent());
        }
    }

    /** What a bucket holds now, without creating one that does not exist yet (it would be full). */
    private void remaining(ObjectNode out, String field, String key, long capacity) {
        try {
            Optional<BucketConfiguration> configuration = store.buckets().getProxyConfiguration(key);
            out.put(field, configuration.isEmpty() ? capacity
                    : store.buckets().builder().build(key, configuration::get).getAvailableTokens());
        } catch (RuntimeException e) {
            out.put(field + "_error", "the state store could not be read");
        }
    }

}
