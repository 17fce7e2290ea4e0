package io.llmgw.core.admin;

import io.llmgw.core.resilience.Liveness;

import io.llmgw.core.pipeline.GatewayServices;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.web.Endpoint;
import io.llmgw.core.web.Exchange;
import io.llmgw.core.web.Routes;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Probes and the admin views: {@code /}, {@code /health}, {@code /health/live}, {@code /health/ready}
 * (open: they say only up or down), {@code /health/providers} and {@code /metrics} (a gateway key
 * unless {@code admin.public_metrics}), {@code /config} (a gateway key, always).
 */
public final class AdminRoutes {
    private static final byte[] OK = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

    private AdminRoutes() {}

    /** @param draining whether shutdown has begun (readiness then fails; liveness does not) */
    /** @param usage the {@code /admin/usage} view: each key's and team's usage, remaining limits and budget */
    public static void register(Routes routes, GatewayServices services, BooleanSupplier draining,
                                java.util.function.Supplier<byte[]> usage) {
        GatewayConfig config = services.config();
        Liveness liveness = services.liveness();
        routes.add("/", probe(c -> 200, c -> OK, config));
        routes.add("/health", probe(c -> Health.ready(c, draining.getAsBoolean()) ? 200 : 503,
                c -> Health.body(c, services.health(), draining.getAsBoolean(), true), config));
        routes.add("/health/live", probe(c -> liveness.alive() ? 200 : 503, c -> liveness.alive() ? OK : Health.dead(liveness), config));
        routes.add("/health/ready", probe(c -> Health.ready(c, draining.getAsBoolean()) ? 200 : 503,
                c -> Health.body(c, services.health(), draining.getAsBoolean(), false), config));
        routes.add("/health/providers", AdminView.telemetry(services, "probe", "/health/providers", exchange ->
                exchange.out().sendJson(200, Health.providers(services.health()), null)));
        if (services.metrics().exposition() != null) {
            routes.add("/metrics", AdminView.telemetry(services, "metrics", "/metrics", exchange ->
                    exchange.out().sendBody(200, "text/plain; version=0.0.4; charset=utf-8", services.metrics().exposition())));
        }
        routes.add("/config", AdminView.keyed(services, "/config", config::configEndpointEnabled,
                exchange -> exchange.out().sendJson(200, ConfigView.render(config), null)));
        routes.add("/admin/usage", AdminView.keyed(services, "/admin/usage", () -> true,
                exchange -> exchange.out().sendJson(200, usage.get(), null)));
    }

    /** An unauthenticated GET/HEAD probe; HEAD gets the status and no body. */
    private static Endpoint probe(Function<GatewayConfig, Integer> status, Function<GatewayConfig, byte[]> body, GatewayConfig config) {
        return new Endpoint() {
            @Override
            public Set<String> methods() {
                return Set.of("GET", "HEAD");
            }

            @Override
            public String dialect() {
                return "probe";
            }

            @Override
            public boolean authenticated() {
                return false;
            }

            @Override
            public void handle(Exchange exchange) {
                boolean head = exchange.request().method().equals("HEAD");
                exchange.out().sendJson(status.apply(config), head ? new byte[0] : body.apply(config), null);
            }
        };
    }
}
