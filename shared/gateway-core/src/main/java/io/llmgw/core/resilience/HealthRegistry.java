package io.llmgw.core.resilience;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.llmgw.core.config.GatewayConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Health of every deployment and the concurrency limits of every provider, shared by all
 * requests of a gateway. Deployments are keyed by {@code provider/model}.
 */
public final class HealthRegistry {
    private final GatewayConfig.Breaker breakerSettings;
    private final Clock clock;
    private final Map<String, DeploymentHealth> deployments = new ConcurrentHashMap<>();
    private final Map<String, Bulkhead> providerLimits = new ConcurrentHashMap<>();

    /** The latest active check of a provider. */
    public record Probe(java.time.Instant at, boolean ok, String detail) {}

    private final Map<String, Probe> probes = new ConcurrentHashMap<>();

    public HealthRegistry(GatewayConfig config, Clock clock) {
        this.breakerSettings = config.routing().breaker();
        this.clock = clock;
        // Every label a request can use, known from configuration: requests never add entries.
        for (GatewayConfig.Model model : config.models()) {
            for (GatewayConfig.DeploymentConfig d : model.deployments()) {
                deployment(d.provider() + "/" + (d.model() == null ? model.name() : d.model()));
            }
        }
        config.providers().values().forEach(p -> {
            if (p.maxConcurrency() != null) {
                providerLimits.put(p.name(), Bulkhead.of("provider-" + p.name(), BulkheadConfig.custom()
                        .maxConcurrentCalls(p.maxConcurrency())
                        .maxWaitDuration(Duration.ZERO)
                        .build()));
            }
        });
    }

    public DeploymentHealth deployment(String label) {
        return deployments.computeIfAbsent(label, l -> new DeploymentHealth(l, breakerSettings, clock));
    }

    public Collection<DeploymentHealth> all() {
        return deployments.values();
    }

    /** A call slot at {@code provider}; false when its {@code max_concurrency} is reached (no queueing). */
    public boolean tryAcquireSlot(String provider) {
        Bulkhead limit = providerLimits.get(provider);
        return limit == null || limit.tryAcquirePermission();
    }

    public void releaseSlot(String provider) {
        Bulkhead limit = providerLimits.get(provider);
        if (limit != null) {
            limit.onComplete();
        }
    }

    public Clock clock() {
        return clock;
    }

    /** Records an active check of {@code provider}; a failed one counts against each of its deployments' circuits. */
    public void probed(String provider, boolean ok, String detail) {
        probes.put(provider, new Probe(clock.instant(), ok, detail));
        if (!ok) {
            deployments.values().stream().filter(d -> d.label().startsWith(provider + "/"))
                    .forEach(d -> {
                        if (d.tryAcquire()) {
                            d.failure(0, new IllegalStateException("health check failed: " + detail));
                        }
                    });
        }
    }

    public Map<String, Probe> probes() {
        return Map.copyOf(probes);
    }
}
