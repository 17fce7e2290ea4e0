package io.llmgw.core.resilience;

import io.llmgw.core.config.AuthMode;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.error.GatewayException;
import io.llmgw.core.http.Headers;
import io.llmgw.core.http.UpstreamClient;
import io.llmgw.core.http.UpstreamRequest;
import io.llmgw.core.http.UpstreamResponse;
import io.llmgw.core.provider.Providers;
import io.llmgw.core.provider.UpstreamAdapter;
import java.io.IOException;
import java.net.URI;
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
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "health-checks");
        thread.setDaemon(true);
        return thread;
    });

    public HealthChecker(GatewayConfig config, HealthRegistry health, UpstreamClient client) {
        this.config = config;
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
        UpstreamAdapter upstream = Providers.adapter(provider.type());
        URI uri = upstream.modelsUri(provider);
        if (uri == null) {
            return;
        }
        Headers headers = Headers.of("accept", "application/json", "user-agent", "llm-gateway/0.1 health-check");
        upstream.authorize(headers, provider.apiKey());
        try (UpstreamResponse response = client.send(new UpstreamRequest(uri, headers, null, CHECK_TIMEOUT, CHECK_TIMEOUT))) {
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
