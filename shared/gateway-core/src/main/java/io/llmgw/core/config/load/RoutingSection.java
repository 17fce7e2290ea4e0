package io.llmgw.core.config.load;

import io.llmgw.core.config.ConfigValues;

import io.llmgw.core.config.ConfigException;

import io.llmgw.core.config.GatewayConfig;


import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.config.GatewayConfig.Breaker;
import io.llmgw.core.config.GatewayConfig.Routing;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads the {@code routing:} section and the routing-related values of model entries. */
final class RoutingSection {
    private static final Set<String> ROUTING = Set.of("deadline", "retries", "backoff", "circuit_breaker", "max_concurrent_requests",
            "health_check_interval");
    private static final Set<String> BACKOFF = Set.of("initial", "max");
    private static final Set<String> BREAKER = Set.of("consecutive_failures", "failure_rate", "window", "open_for", "half_open_calls");
    private static final Set<String> COST = Set.of("input_per_mtok", "output_per_mtok");

    private RoutingSection() {}

    static Routing read(JsonNode node, Routing defaults) {
        ConfigFile.checkKeys(node, "routing", ROUTING);
        Duration deadline = duration(node, "deadline", "routing.deadline", defaults.deadline());
        int retries = node.has("retries") ? nonNegativeInt(node.get("retries").asText(), "routing.retries") : defaults.retries();
        JsonNode backoff = node.path("backoff");
        if (backoff.isObject()) {
            ConfigFile.checkKeys(backoff, "routing.backoff", BACKOFF);
        }
        Duration initial = duration(backoff, "initial", "routing.backoff.initial", defaults.backoffInitial());
        Duration max = duration(backoff, "max", "routing.backoff.max", defaults.backoffMax());
        JsonNode b = node.path("circuit_breaker");
        if (b.isObject()) {
            ConfigFile.checkKeys(b, "routing.circuit_breaker", BREAKER);
        }
        Breaker d = defaults.breaker();
        Breaker breaker = new Breaker(
                b.has("consecutive_failures") ? ConfigValues.positiveInt(b.get("consecutive_failures").asText(),
                        "routing.circuit_breaker.consecutive_failures", 1000) : d.consecutiveFailures(),
                b.has("failure_rate") ? ConfigValues.positiveInt(b.get("failure_rate").asText(), "routing.circuit_breaker.failure_rate (percent)", 100)
                        : d.failureRatePercent(),
                b.has("window") ? ConfigValues.positiveInt(b.get("window").asText(), "routing.circuit_breaker.window", 10_000) : d.window(),
                duration(b, "open_for", "routing.circuit_breaker.open_for", d.openFor()),
                b.has("half_open_calls") ? ConfigValues.positiveInt(b.get("half_open_calls").asText(),
                        "routing.circuit_breaker.half_open_calls", 1000) : d.halfOpenCalls());
        int maxConcurrent = node.has("max_concurrent_requests")
                ? nonNegativeInt(node.get("max_concurrent_requests").asText(), "routing.max_concurrent_requests")
                : defaults.maxConcurrentRequests();
        Duration healthCheck = defaults.healthCheckInterval();
        if (node.has("health_check_interval")) {
            String value = node.get("health_check_interval").asText();
            healthCheck = value.equalsIgnoreCase("off") || value.equalsIgnoreCase("false") ? null
                    : ConfigValues.duration(value, "routing.health_check_interval", "s");
        }
        return new Routing(deadline, retries, initial, max, breaker, maxConcurrent, healthCheck);
    }

    static Routing withMaxConcurrentRequests(Routing r, int max) {
        return new Routing(r.deadline(), r.retries(), r.backoffInitial(), r.backoffMax(), r.breaker(), max, r.healthCheckInterval());
    }

    static Routing withHealthCheckInterval(Routing r, Duration interval) {
        return new Routing(r.deadline(), r.retries(), r.backoffInitial(), r.backoffMax(), r.breaker(), r.maxConcurrentRequests(), interval);
    }

    static GatewayConfig.Strategy strategy(String value, String source) {
        try {
            return GatewayConfig.Strategy.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": '" + value + "' is not a strategy; use one of "
                    + Arrays.stream(GatewayConfig.Strategy.values()).map(GatewayConfig.Strategy::configName).collect(Collectors.joining(" | ")));
        }
    }

    static GatewayConfig.Cost cost(JsonNode node, String source) {
        if (!node.isObject()) {
            throw new ConfigException(source + ": must be a mapping like { input_per_mtok: 2.5, output_per_mtok: 10 }");
        }
        ConfigFile.checkKeys(node, source, COST);
        return new GatewayConfig.Cost(price(node, "input_per_mtok", source), price(node, "output_per_mtok", source));
    }

    private static double price(JsonNode node, String field, String source) {
        JsonNode value = node.get(field);
        if (value == null || !value.isNumber() || value.doubleValue() < 0) {
            throw new ConfigException(source + "." + field + ": must be a non-negative number of dollars per million tokens");
        }
        return value.doubleValue();
    }

    private static Duration duration(JsonNode node, String field, String source, Duration fallback) {
        return node.has(field) ? ConfigValues.duration(node.get(field).asText(), source, "s") : fallback;
    }

    private static int nonNegativeInt(String value, String source) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException(source + ": '" + value + "' is not a whole number of 0 or more");
    }
}
