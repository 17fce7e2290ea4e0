package io.llmgw.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.core.http.Headers;
import io.llmgw.core.json.Json;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.MutableClock;
import io.llmgw.testing.Reply;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code /health/providers}, the breaker summary in {@code /health}, and active checks feeding the breakers. */
class HealthViewTest {
    private static JsonNode get(GatewayHarness harness, String path) throws Exception {
        BufferingSink sink = new BufferingSink();
        // /health/providers needs a gateway key (admin.public_metrics is off); /health does not
        harness.gateway.handle(new GatewayRequest("GET", path, null, Headers.of("authorization", "Bearer " + GatewayHarness.KEY),
                new byte[0], null, null), sink);
        return Json.parse(sink.body());
    }

    @Test
    void deploymentsShowStateErrorRateLatencyAndInFlight() throws Exception {
        MutableClock clock = new MutableClock();
        try (FakeUpstream a = FakeUpstream.start(); FakeUpstream b = FakeUpstream.start();
             GatewayHarness harness = new GatewayHarness("""
                     auth: { mode: gateway, keys: ["${KEY}"] }
                     routing: { retries: 0, health_check_interval: off }
                     providers:
                       a: { type: openai, base_url: "%s/v1", api_key: sk-a-0000000000000000 }
                       b: { type: openai, base_url: "%s/v1", api_key: sk-b-0000000000000000 }
                     models:
                       m: { deployments: [ { provider: a, model: ma } ] }
                       n: { deployments: [ { provider: b, model: mb } ] }
                     """.formatted(a.baseUrl(), b.baseUrl()), clock)) {
            a.handler(request -> Reply.json(500, "{\"error\":{\"message\":\"down\"}}"));
            b.handler(ChatScript.text("fine").handler());
            for (int i = 0; i < 5; i++) {
                harness.chat("m", false);
            }
            harness.chat("n", false);

            JsonNode providers = get(harness, "/health/providers").get("deployments");
            assertThat(providers).hasSize(2);
            JsonNode down = providers.get(0);
            assertThat(down.get("deployment").asText()).isEqualTo("a/ma");
            assertThat(down.get("state").asText()).isEqualTo("open");
            assertThat(down.get("consecutive_failures").asInt()).isEqualTo(5);
            assertThat(down.get("open_remaining_seconds").asLong()).isEqualTo(60);
            JsonNode up = providers.get(1);
            assertThat(up.get("state").asText()).isEqualTo("closed");
            assertThat(up.get("latency_ewma_ms").asDouble()).isPositive();
            assertThat(up.get("in_flight").asInt()).isZero();

            JsonNode summary = get(harness, "/health").get("circuit_breaker");
            assertThat(summary.get("open").asInt()).isEqualTo(1);
            assertThat(summary.get("closed").asInt()).isEqualTo(1);
        }
    }

    @Test
    void failingActiveChecksOpenTheCircuitAndAreReported() throws Exception {
        FakeUpstream a = FakeUpstream.start();
        String base = a.baseUrl();
        a.close();  // nothing listens: every check fails to connect
        try (GatewayHarness harness = new GatewayHarness("""
                auth: { mode: gateway, keys: ["${KEY}"] }
                routing: { health_check_interval: 100ms }
                providers:
                  a: { type: openai, base_url: "%s/v1", api_key: sk-a-0000000000000000 }
                models:
                  m: { deployments: [ { provider: a, model: ma } ] }
                """.formatted(base))) {
            harness.gateway.startHealthChecks();
            JsonNode view = null;
            for (int i = 0; i < 100; i++) {
                view = get(harness, "/health/providers");
                if (view.path("deployments").path(0).path("state").asText().equals("open")) {
                    break;
                }
                Thread.sleep(Duration.ofMillis(50));
            }
            assertThat(view.path("deployments").path(0).path("state").asText()).isEqualTo("open");
            assertThat(view.path("health_checks").path("a").path("ok").asBoolean()).isFalse();
        }
    }
}
