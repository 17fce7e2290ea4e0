package io.llmgw.core.admin;

import io.llmgw.core.resilience.Liveness;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.json.Json;
import io.llmgw.core.resilience.DeploymentHealth;
import io.llmgw.core.resilience.HealthRegistry;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;

/**
 * Liveness, readiness (configuration loaded, at least one upstream, not shutting down), and what the gateway
 * knows about each deployment: circuit state, recent error rate, latency average, calls in flight.
 */
public final class Health {
    private Health() {}

    public static boolean ready(GatewayConfig config, boolean draining) {
        return !draining && config != null && config.hasUpstream();
    }

    /** {@code /health/live} once the process is unfit to serve: why, so the platform's log of the probe says it. */
    static byte[] dead(Liveness liveness) {
        ObjectNode body = Json.object();
        body.put("status", "dead");
        body.put("reason", liveness.reason());
        return Json.bytes(body);
    }

    /** {@code /health}: status ({@code ok}, {@code draining} or {@code unavailable}), and with details the counts and a circuit-breaker summary. */
    public static byte[] body(GatewayConfig config, HealthRegistry health, boolean draining, boolean includeDetails) {
        ObjectNode body = Json.object();
        body.put("status", draining ? "draining" : ready(config, false) ? "ok" : "unavailable");
        if (includeDetails) {
            body.put("providers", config.providers().size());
            body.put("models", config.models().size());
            ObjectNode breakers = body.putObject("circuit_breaker");
            for (CircuitBreaker.State state : new CircuitBreaker.State[] {
                    CircuitBreaker.State.CLOSED, CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN}) {
                breakers.put(state.name().toLowerCase(Locale.ROOT), health.all().stream().filter(d -> d.state() == state).count());
            }
        }
        return Json.bytes(body);
    }

    /** {@code /health/providers}: one entry per deployment seen or configured, and the latest active check per provider. */
    public static byte[] providers(HealthRegistry health) {
        ObjectNode body = Json.object();
        ArrayNode deployments = body.putArray("deployments");
        health.all().stream().sorted(Comparator.comparing(DeploymentHealth::label)).forEach(d -> {
            ObjectNode node = deployments.addObject();
            node.put("deployment", d.label());
            node.put("state", d.state().name().toLowerCase(Locale.ROOT));
            float rate = d.failureRate();
            if (rate >= 0) {
                node.put("error_rate_percent", rate);
            } else {
                node.putNull("error_rate_percent");
            }
            node.put("consecutive_failures", d.consecutiveFailures());
            double latency = d.latencyEwmaMillis();
            if (Double.isNaN(latency)) {
                node.putNull("latency_ewma_ms");
            } else {
                node.put("latency_ewma_ms", Math.round(latency * 10) / 10.0);
            }
            node.put("in_flight", d.inFlight());
            Duration open = d.openRemaining();
            if (open != null) {
                node.put("open_remaining_seconds", open.toSeconds());
            }
        });
        ObjectNode checks = body.putObject("health_checks");
        health.probes().forEach((provider, probe) -> checks.putObject(provider)
                .put("ok", probe.ok()).put("at", probe.at().toString()).put("detail", probe.detail()));
        return Json.bytes(body);
    }
}
