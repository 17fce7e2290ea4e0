package io.llmgw.core.resilience;

import io.llmgw.core.config.AuthMode;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.error.GatewayException;
import io.llmgw.core.upstream.UpstreamClient;
import io.llmgw.core.upstream.UpstreamRequest;
import io.llmgw.core.upstream.UpstreamResponse;
import io.llmgw.core.spi.Provider;
import io.llmgw.core.spi.Upstreams;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Active health checks: every interval, a cheap call (the models list) to each provider, whose
 * outcome feeds the deployments' circuit breakers and {@code /health/providers}. A 404 means the
 * server has no models route, not that it is down. In client and hybrid modes a provider without a
 * configured key is probed for liveness only: any HTTP answer, a 401 included, means reachable. Platforms where nothing runs between
 * requests (Lambda) do not start it.
 */
public final class HealthChecker implements AutoCloseable {
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);

    private final GatewayConfig config;
    private final HealthRegistry health;
    private final UpstreamClient client;
    private final Upstreams upstreams;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "health-checks");
        thread.setDaemon(true);
        return thread;
    });

    public HealthChecker(GatewayConfig config, HealthRegistry health, UpstreamClient client, Upstreams upstreams) {
        this.config = config;
        this.upstreams = upstreams;
        this.health = health;
        this.client = client;
    }

    public void start(Duration interval) {
        timer.scheduleWithFixedDelay(this::checkAll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One round of checks, one virtual thread per provider so a slow one holds nobody up. */
    public void checkAll() {
        for (GatewayConfig.Provider provider : config.providers().values()) {
            Thread.ofVirtual().start(() -> check(provider));
        }
    }

    void check(GatewayConfig.Provider provider) {
        Provider upstream = upstreams.get(provider.name());
        UpstreamRequest probe = upstream.probeRequest();
        if (probe == null) {
            return;
        }
        UpstreamRequest signed = upstream.sign(new UpstreamRequest(probe.uri(), probe.headers(), null, CHECK_TIMEOUT, CHECK_TIMEOUT),
                provider.apiKey());
        try (UpstreamResponse response = client.send(signed)) {
            response.readBody(1024 * 1024);
            int status = response.status();
            if (provider.apiKey() == null && config.auth().mode() != AuthMode.GATEWAY) {
                // Client and hybrid modes with no configured key: callers bring their own, so the probe
                // cannot judge authorization, and any HTTP answer means the upstream is up.
                health.probed(provider.name(), true, "HTTP " + status + (status < 300 ? "" : " (reachable; probed without a key)"));
                return;
            }
            boolean ok = status < 300 || status == 404 || status == 405;
            health.probed(provider.name(), ok, "HTTP " + status);
        } catch (GatewayException e) {
            health.probed(provider.name(), false, e.error().message());
        } catch (IOException e) {
            health.probed(provider.name(), false, "read failed: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
