package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.RecordedRequest;
import io.llmgw.testing.Reply;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Finding 3 of the hardening issue: active health checks never judge an upstream by the auth
 * failure of a key they did not have. In client mode the probe has no key, so the upstream's 401
 * on {@code /models} means "reachable"; in gateway mode the probe uses the configured key, so the
 * same 401 means that key is bad, and the breaker opens. Before the fix a client-mode gateway in
 * front of such an upstream answered 503 to everyone after a few check intervals.
 */
class HealthProbeModeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENT_KEY = "sk-client-own-key-accepted-by-upstream-0001";
    private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final Map<String, String> EVERY_100_MS = Map.of("HEALTH_CHECK_INTERVAL_MS", "100");

    private static long modelsProbes(FakeUpstream upstream) {
        return upstream.requests().stream().filter(r -> r.method().equals("GET") && r.path().endsWith("/models")).count();
    }

    /** Waits until the upstream has seen at least {@code count} health checks (each a GET of the models route). */
    private static void awaitProbes(FakeUpstream upstream, int count) throws InterruptedException {
        for (int i = 0; i < 300 && modelsProbes(upstream) < count; i++) {
            Thread.sleep(50);
        }
        assertThat(modelsProbes(upstream)).as("health checks made").isGreaterThanOrEqualTo(count);
    }

    private static JsonNode deployment(TestGateway gateway) throws Exception {
        HttpResponse<String> view = gateway.send("GET", "/health/providers", null, "authorization", "Bearer " + TestGateway.GATEWAY_KEY);
        return JSON.readTree(view.body()).path("deployments").get(0);
    }

    @Test
    void clientModeStillServesAfterTenKeylessProbesAnswered401() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            // Like OpenAI, Anthropic and Azure: no key, no models list (and no chat either).
            upstream.handler(request -> request.header("authorization") == null
                    ? Reply.json(401, "{\"error\":{\"message\":\"You didn't provide an API key.\",\"type\":\"invalid_request_error\"}}")
                    : request.method().equals("GET") ? Reply.json(200, "{\"object\":\"list\",\"data\":[]}")
                    : ChatScript.text("served").reply(request));
            try (TestGateway gateway = TestGateway.start("""
                    auth: { mode: client }
                    providers:
                      up: { type: openai, base_url: "%s/v1" }
                    models:
                      "*": { deployments: [ { provider: up } ] }
                    """.formatted(upstream.baseUrl()), EVERY_100_MS)) {
                awaitProbes(upstream, 10);
                assertThat(upstream.requests().stream().filter(r -> r.path().endsWith("/models")))
                        .as("probes carry no key: client mode has none of its own").allMatch(r -> r.header("authorization") == null);

                HttpResponse<String> response = gateway.postJson("/v1/chat/completions", CHAT, "authorization", "Bearer " + CLIENT_KEY);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(JSON.readTree(response.body()).path("choices").path(0).path("message").path("content").asText())
                        .isEqualTo("served");
                RecordedRequest chat = upstream.requests().stream().filter(r -> r.method().equals("POST")).findFirst().orElseThrow();
                assertThat(chat.header("authorization")).isEqualTo("Bearer " + CLIENT_KEY);
            }
        }
    }

    @Test
    void gatewayModeOpensTheBreakerWhenTheConfiguredKeyIsRefused() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            // The configured key is refused on the models route; a chat request would still be answered,
            // so a 503 below can only come from the breaker the probes opened.
            upstream.handler(request -> request.method().equals("GET")
                    ? Reply.json(401, "{\"error\":{\"message\":\"Incorrect API key provided\",\"code\":\"invalid_api_key\"}}")
                    : ChatScript.text("served").reply(request));
            try (TestGateway gateway = TestGateway.start("""
                    auth: { mode: gateway, keys: ["${GW_KEY}"] }
                    providers:
                      up: { type: openai, base_url: "%s/v1", api_key: "${UP_KEY}" }
                    models:
                      "*": { deployments: [ { provider: up } ] }
                    """.formatted(upstream.baseUrl()), EVERY_100_MS)) {
                awaitProbes(upstream, 10);
                assertThat(upstream.lastRequest().header("authorization")).isEqualTo("Bearer " + TestGateway.UPSTREAM_KEY);
                assertThat(deployment(gateway).path("state").asText()).isEqualTo("open");

                HttpResponse<String> response = gateway.postJsonWithKey("/v1/chat/completions", CHAT);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
                assertThat(response.body()).contains("all_deployments_unavailable");
                assertThat(upstream.requests()).as("no chat request reached the upstream").allMatch(r -> r.method().equals("GET"));
            }
        }
    }
}
