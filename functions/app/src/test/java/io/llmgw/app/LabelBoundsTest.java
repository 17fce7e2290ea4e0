package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.Reply;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Finding 2 of the hardening issue: on a glob route with no fixed upstream model (what
 * {@code BACKEND_URL} configures), names chosen by callers never become metric labels, breaker
 * entries or text in the telemetry views, even when the upstream refuses the caller's key; and
 * those views need a gateway key unless the configuration makes them public. Before the fix every
 * new name added a breaker entry and series, and both views were open to anyone.
 */
class LabelBoundsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENT_KEY = "sk-client-own-key-that-the-upstream-refuses-0001";
    private static final String[] WITH_GATEWAY_KEY = {"authorization", "Bearer " + TestGateway.GATEWAY_KEY};

    /** The environment-only set-up of an OpenAI-compatible server: BACKEND_URL and a gateway key, so other keys are the callers' own. */
    private static TestGateway backendUrlGateway(FakeUpstream upstream, boolean publicMetrics) {
        return TestGateway.start(publicMetrics ? "admin:\n  public_metrics: true\n" : "",
                Map.of("BACKEND_URL", upstream.baseUrl() + "/v1/chat/completions", "PROXY_API_KEY", TestGateway.GATEWAY_KEY));
    }

    private static List<String> series(TestGateway gateway) {
        HttpResponse<String> scrape = gateway.send("GET", "/metrics", null, WITH_GATEWAY_KEY);
        assertThat(scrape.statusCode()).isEqualTo(200);
        return scrape.body().lines().filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
    }

    private static JsonNode providers(TestGateway gateway) throws Exception {
        HttpResponse<String> view = gateway.send("GET", "/health/providers", null, WITH_GATEWAY_KEY);
        assertThat(view.statusCode()).isEqualTo(200);
        return JSON.readTree(view.body());
    }

    private static int chat(TestGateway gateway, String model) {
        return gateway.postJson("/v1/chat/completions",
                "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "authorization", "Bearer " + CLIENT_KEY).statusCode();
    }

    @Test
    void aThousandClientChosenNamesAddNoSeriesNoBreakersAndAppearNowhere() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start();
             TestGateway gateway = backendUrlGateway(upstream, false)) {
            upstream.handler(request -> Reply.json(401,
                    "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));
            String padding = "x".repeat(2_000);
            assertThat(chat(gateway, "warm-up-" + padding)).isEqualTo(401);  // the series a refused request creates, once
            List<String> seriesBefore = series(gateway);
            int breakersBefore = gateway.core().health().all().size();
            int deploymentsBefore = providers(gateway).path("deployments").size();

            List<String> names = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                String name = "client-chosen-" + i + "-" + padding;
                names.add(name);
                assertThat(chat(gateway, name)).isEqualTo(401);
            }
            assertThat(upstream.requests()).as("each name went upstream with the caller's key").hasSize(1_001);
            assertThat(upstream.lastRequest().header("authorization")).isEqualTo("Bearer " + CLIENT_KEY);

            List<String> seriesAfter = series(gateway);
            assertThat(seriesAfter.size()).as("metric series").isEqualTo(seriesBefore.size());
            assertThat(gateway.core().health().all().size()).as("breaker entries").isEqualTo(breakersBefore);
            JsonNode view = providers(gateway);
            assertThat(view.path("deployments").size()).as("deployments in /health/providers").isEqualTo(deploymentsBefore);
            assertThat(view.path("deployments").get(0).path("deployment").asText()).isEqualTo("backend/*");
            String everything = String.join("\n", seriesAfter) + view;
            for (String fragment : List.of("client-chosen-", "warm-up-", padding.substring(0, 64))) {
                assertThat(everything.contains(fragment)).as("a view contains " + fragment).isFalse();
            }
        }
    }

    @Test
    void theTelemetryViewsNeedAGatewayKeyUnlessMadePublic() {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            try (TestGateway gateway = backendUrlGateway(upstream, false)) {
                for (String path : List.of("/metrics", "/health/providers")) {
                    assertThat(gateway.send("GET", path, null).statusCode()).as(path + " without a key").isEqualTo(401);
                    assertThat(gateway.send("GET", path, null, "authorization", "Bearer " + CLIENT_KEY).statusCode())
                            .as(path + " with a caller's own (forwarded) key").isEqualTo(401);
                    assertThat(gateway.send("GET", path, null, WITH_GATEWAY_KEY).statusCode()).as(path + " with the gateway key")
                            .isEqualTo(200);
                }
            }
            try (TestGateway open = backendUrlGateway(upstream, true)) {
                for (String path : List.of("/metrics", "/health/providers")) {
                    assertThat(open.send("GET", path, null).statusCode()).as(path + " with admin.public_metrics").isEqualTo(200);
                }
            }
        }
    }
}
