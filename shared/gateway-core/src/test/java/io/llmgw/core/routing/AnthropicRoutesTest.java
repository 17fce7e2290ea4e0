package io.llmgw.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.testing.AnthropicScript;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.RecordedRequest;
import io.llmgw.testing.Reply;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How routes that mix Anthropic and OpenAI-family deployments are served: the first deployment
 * decides between passthrough and translation, failover stays within what can take the body, and
 * active health checks reach Anthropic providers too.
 */
class AnthropicRoutesTest {
    private static final String MESSAGE = "{\"model\":\"%s\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private FakeUpstream anthropic;
    private FakeUpstream openai;
    private GatewayHarness harness;

    @BeforeEach
    void start() {
        anthropic = FakeUpstream.start();
        openai = FakeUpstream.start();
        harness = new GatewayHarness("""
                auth: { mode: gateway, keys: ["${KEY}"] }
                routing: { retries: 0, health_check_interval: off }
                providers:
                  claude: { type: anthropic, base_url: "%s", api_key: sk-ant-api03-golden-000000 }
                  gpt: { type: openai, base_url: "%s/v1", api_key: sk-openai-00000000000000 }
                models:
                  anthropic-first: { deployments: [ { provider: claude, model: claude-a }, { provider: gpt, model: gpt-b } ] }
                  openai-first: { deployments: [ { provider: gpt, model: gpt-b }, { provider: claude, model: claude-a } ] }
                """.formatted(anthropic.baseUrl(), openai.baseUrl()));
    }

    @AfterEach
    void stop() {
        harness.close();
        anthropic.close();
        openai.close();
    }

    @Test
    void anthropicFirstPassesThroughAndNeverFailsOverToATranslatedUpstream() throws Exception {
        anthropic.handler(request -> Reply.json(529, AnthropicScript.errorBody("overloaded_error", "Overloaded")));
        openai.handler(ChatScript.text("from gpt").handler());

        BufferingSink sink = harness.post("/v1/messages", MESSAGE.formatted("anthropic-first"));

        assertThat(sink.status()).isEqualTo(529);
        assertThat(openai.requests()).isEmpty();
        assertThat(anthropic.lastRequest().json().get("model").asText()).isEqualTo("claude-a");
    }

    @Test
    void anOpenAiFirstRouteIsTranslatedAndFailsOverToAnthropicThroughTheCanonicalModel() throws Exception {
        openai.handler(request -> Reply.json(503, "{\"error\":{\"message\":\"busy\"}}"));
        anthropic.handler(AnthropicScript.text("from claude").usage(7, 3).handler());

        BufferingSink sink = harness.post("/v1/messages", MESSAGE.formatted("openai-first"));

        assertThat(sink.status()).isEqualTo(200);
        JsonNode answer = Json.parse(sink.body());
        assertThat(answer.at("/content/0/text").asText()).isEqualTo("from claude");
        assertThat(answer.get("model").asText()).isEqualTo("openai-first");
        RecordedRequest sent = anthropic.lastRequest();
        assertThat(sent.path()).isEqualTo("/v1/messages");
        assertThat(sent.header("x-api-key")).isEqualTo("sk-ant-api03-golden-000000");
        assertThat(sent.json().get("max_tokens").asInt()).isEqualTo(100);
    }

    @Test
    void chatClientsAreTranslatedForAnAnthropicFirstDeployment() throws Exception {
        anthropic.handler(AnthropicScript.text("from claude").usage(7, 3).handler());

        BufferingSink sink = harness.chat("anthropic-first", false);

        assertThat(sink.status()).isEqualTo(200);
        assertThat(Json.parse(sink.body()).at("/choices/0/message/content").asText()).isEqualTo("from claude");
        assertThat(anthropic.lastRequest().path()).isEqualTo("/v1/messages");
        assertThat(anthropic.lastRequest().json().at("/messages/0/content/0/text").asText()).isEqualTo("hi");
        assertThat(openai.requests()).isEmpty();
    }

    @Test
    void activeHealthChecksListAnthropicModelsWithItsHeaders() throws Exception {
        anthropic.handler(request -> Reply.json(200, "{\"data\":[],\"has_more\":false}"));
        openai.handler(request -> Reply.json(200, "{\"data\":[]}"));
        try (GatewayHarness checked = new GatewayHarness("""
                auth: { mode: gateway, keys: ["${KEY}"] }
                routing: { health_check_interval: 100ms }
                providers:
                  claude: { type: anthropic, base_url: "%s", api_key: sk-ant-api03-golden-000000 }
                models:
                  m: { deployments: [ { provider: claude } ] }
                """.formatted(anthropic.baseUrl()))) {
            checked.gateway.startHealthChecks();
            for (int i = 0; i < 100 && checked.gateway.health().probes().get("claude") == null; i++) {
                Thread.sleep(Duration.ofMillis(20));
            }
            assertThat(checked.gateway.health().probes().get("claude").ok()).isTrue();
        }
        RecordedRequest probe = anthropic.requests().get(0);
        assertThat(probe.method()).isEqualTo("GET");
        assertThat(probe.path()).isEqualTo("/v1/models");
        assertThat(probe.header("x-api-key")).isEqualTo("sk-ant-api03-golden-000000");
        assertThat(probe.header("anthropic-version")).isEqualTo("2023-06-01");
    }
}
