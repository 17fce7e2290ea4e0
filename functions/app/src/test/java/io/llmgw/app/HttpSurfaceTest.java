package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgw.core.config.ConfigException;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Probes, health, the admin view, and the headers every response carries. */
class HttpSurfaceTest {
    private static FakeUpstream upstream;
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        upstream = FakeUpstream.start();
        upstream.handler(ChatScript.text("ok").handler());
        String yaml = TestGateway.singleUpstream("azure-openai", upstream.baseUrl())
                + "cors:\n  allowed_origins: [\"https://app.example.com\"]\n";
        gateway = TestGateway.start(yaml);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void claudeCodeProbesTheBaseUrl() {
        assertThat(gateway.send("HEAD", "/", null).statusCode()).isEqualTo(200);
        assertThat(gateway.send("GET", "/", null).statusCode()).isEqualTo(200);
    }

    @Test
    void healthEndpoints() {
        HttpResponse<String> health = gateway.send("GET", "/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"ok\"");
        assertThat(gateway.send("GET", "/health/live", null).statusCode()).isEqualTo(200);
        assertThat(gateway.send("GET", "/health/ready", null).statusCode()).isEqualTo(200);
    }

    @Test
    void notReadyWithoutAnyUpstream() {
        // The loader stops the start of such a configuration (first run); one handed to the core directly still reads unready.
        assertThatThrownBy(() -> TestGateway.start("auth:\n  mode: client\n")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("providers: none configured");
        GatewayConfig loaded = ConfigLoader.load(Map.of("GATEWAY_MOCK", "1", "HEALTH_CHECK_INTERVAL_MS", "off"));
        GatewayConfig none = new GatewayConfig(loaded.port(), loaded.auth(), loaded.corsAllowedOrigins(), loaded.configEndpointEnabled(),
                Map.of(), List.of(), loaded.keepAlive(), loaded.routing(), loaded.publicMetrics(), loaded.access(), loaded.cache(), loaded.responsesStore());
        try (TestGateway empty = TestGateway.start(none)) {
            assertThat(empty.send("GET", "/health/live", null).statusCode()).isEqualTo(200);
            HttpResponse<String> ready = empty.send("GET", "/health/ready", null);
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("unavailable");
        }
    }

    @Test
    void configViewNeedsAGatewayKeyAndRedactsEverySecret() {
        assertThat(gateway.send("GET", "/config", null).statusCode()).isEqualTo(401);
        assertThat(gateway.send("GET", "/config", null, "authorization", "Bearer sk-not-a-gateway-key-000000000000000").statusCode())
                .isEqualTo(401);
        HttpResponse<String> view = gateway.send("GET", "/config", null, "authorization", "Bearer " + TestGateway.GATEWAY_KEY);
        assertThat(view.statusCode()).isEqualTo(200);
        assertThat(view.body()).contains("\"mode\":\"gateway\"", "\"type\":\"azure-openai\"", "\"api_version\":\"2024-10-21\"",
                "[redacted]", "gpt-4o-prod");
        assertThat(view.body()).doesNotContain(TestGateway.GATEWAY_KEY, TestGateway.UPSTREAM_KEY);
    }

    @Test
    void configViewCanBeSwitchedOff() {
        String yaml = TestGateway.singleUpstream("openai", upstream.baseUrl()) + "admin:\n  config_endpoint: false\n";
        try (TestGateway off = TestGateway.start(yaml)) {
            assertThat(off.send("GET", "/config", null, "authorization", "Bearer " + TestGateway.GATEWAY_KEY).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void everyResponseCarriesRequestIdOverheadAndSecurityHeaders() {
        for (HttpResponse<String> response : new HttpResponse[] {
                gateway.send("GET", "/health", null),
                gateway.send("GET", "/nope", null),
                gateway.postJsonWithKey("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")}) {
            assertThat(response.headers().firstValue("x-request-id")).isPresent();
            assertThat(response.headers().firstValue("x-gateway-overhead-ms")).hasValueSatisfying(v -> assertThat(Double.parseDouble(v)).isNotNegative());
            assertThat(response.headers().firstValue("x-content-type-options")).contains("nosniff");
            assertThat(response.headers().firstValue("x-frame-options")).contains("DENY");
            assertThat(response.headers().firstValue("content-security-policy")).isPresent();
            assertThat(response.headers().firstValue("referrer-policy")).contains("no-referrer");
        }
    }

    @Test
    void clientRequestIdIsKeptAndForwarded() {
        HttpResponse<String> response = gateway.postJson("/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                "authorization", "Bearer " + TestGateway.GATEWAY_KEY, "x-request-id", "trace-42.abc");
        assertThat(response.headers().firstValue("x-request-id")).contains("trace-42.abc");
        assertThat(upstream.lastRequest().header("x-request-id")).isEqualTo("trace-42.abc");
    }

    @Test
    void corsOnlyForConfiguredOrigins() {
        HttpResponse<String> allowed = gateway.send("GET", "/health", null, "origin", "https://app.example.com");
        assertThat(allowed.headers().firstValue("access-control-allow-origin")).contains("https://app.example.com");
        HttpResponse<String> other = gateway.send("GET", "/health", null, "origin", "https://evil.example.com");
        assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();

        HttpResponse<String> preflight = gateway.send("OPTIONS", "/v1/chat/completions", null, "origin", "https://app.example.com",
                "access-control-request-method", "POST", "access-control-request-headers", "authorization, content-type");
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("access-control-allow-methods")).hasValueSatisfying(v -> assertThat(v).contains("POST", "DELETE"));
        assertThat(preflight.headers().firstValue("access-control-allow-headers")).contains("authorization, content-type");
        HttpResponse<String> refused = gateway.send("OPTIONS", "/v1/chat/completions", null, "origin", "https://evil.example.com",
                "access-control-request-method", "POST");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    @Test
    void azureStyleClientPathServesTheDeploymentNamedInThePath() {
        HttpResponse<String> response = gateway.send("POST", "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "content-type", "application/json",
                "api-key", TestGateway.GATEWAY_KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(upstream.lastRequest().path()).isEqualTo("/openai/deployments/gpt-4o-prod/chat/completions");
    }

    @Test
    void clientModeForwardsTheClientsKeyFromEnvironmentOnlyConfig() {
        try (TestGateway backend = TestGateway.start("", Map.of("BACKEND_URL", upstream.baseUrl() + "/v1/chat/completions"))) {
            HttpResponse<String> response = backend.postJson("/v1/chat/completions",
                    "{\"model\":\"any-model-name\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                    "authorization", "Bearer sk-client-own-key-1234567890");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(upstream.lastRequest().header("authorization")).isEqualTo("Bearer sk-client-own-key-1234567890");
            assertThat(upstream.lastRequest().json().get("model").asText()).isEqualTo("any-model-name");
            assertThat(backend.postJson("/v1/chat/completions", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                    .statusCode()).isEqualTo(401);
        }
    }

    @Test
    void hybridModeUsesNoUpstreamKeyForGatewayKeysAndForwardsOthers() {
        try (TestGateway hybrid = TestGateway.start("", Map.of("BACKEND_URL", upstream.baseUrl() + "/v1/chat/completions",
                "PROXY_API_KEY", TestGateway.GATEWAY_KEY))) {
            String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
            assertThat(hybrid.postJsonWithKey("/v1/chat/completions", body).statusCode()).isEqualTo(200);
            assertThat(upstream.lastRequest().header("authorization")).isNull();
            assertThat(hybrid.postJson("/v1/chat/completions", body, "x-api-key", "sk-other-client-key-123456").statusCode()).isEqualTo(200);
            assertThat(upstream.lastRequest().header("authorization")).isEqualTo("Bearer sk-other-client-key-123456");
        }
    }
}
