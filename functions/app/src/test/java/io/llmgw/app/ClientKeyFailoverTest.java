package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.core.config.ConfigException;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.RecordedRequest;
import io.llmgw.testing.Reply;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Finding 5 of the hardening issue, end to end: in client mode a route may fail over between
 * deployments of the provider the caller's key belongs to, and the key reaches that provider only
 * (the start-up refusal of routes spanning two providers is {@code HardeningConfigTest}).
 */
class ClientKeyFailoverTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENT_KEY = "sk-client-own-key-for-one-provider-0001";

    @Test
    void failoverStaysWithTheProviderTheKeyBelongsTo() throws Exception {
        try (FakeUpstream provider = FakeUpstream.start();
             FakeUpstream elsewhere = FakeUpstream.start()) {
            provider.handler(request -> request.json().path("model").asText().equals("model-a")
                    ? Reply.json(503, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}")
                    : ChatScript.text("from model-b").model("model-b").reply(request));
            elsewhere.handler(ChatScript.text("must not be asked").handler());
            try (TestGateway gateway = TestGateway.start("""
                    auth: { mode: client }
                    providers:
                      up: { type: openai, base_url: "%s/v1" }
                      other: { type: anthropic, base_url: "%s" }
                    models:
                      gpt:
                        deployments: [ { provider: up, model: model-a }, { provider: up, model: model-b } ]
                      "claude-*": { deployments: [ { provider: other } ] }
                    routing: { retries: 1 }
                    """.formatted(provider.baseUrl(), elsewhere.baseUrl()))) {
                HttpResponse<String> response = gateway.postJson("/v1/chat/completions",
                        "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "authorization", "Bearer " + CLIENT_KEY);

                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(JSON.readTree(response.body()).path("choices").path(0).path("message").path("content").asText())
                        .isEqualTo("from model-b");
                assertThat(provider.requests()).extracting(r -> r.json().path("model").asText()).containsExactly("model-a", "model-b");
                assertThat(provider.requests()).extracting(r -> r.header("authorization"))
                        .containsOnly("Bearer " + CLIENT_KEY);
                assertThat(elsewhere.requests()).as("the other provider never saw the key").isEmpty();
                for (RecordedRequest request : provider.requests()) {
                    assertThat(request.header("x-api-key")).isNull();
                }
            }
        }
    }

    @Test
    void aRouteThatWouldCarryTheKeyToASecondProviderDoesNotStart() {
        try (FakeUpstream openAi = FakeUpstream.start();
             FakeUpstream anthropic = FakeUpstream.start()) {
            // Before the fix this started, and on failover the OpenAI key reached the Anthropic upstream as x-api-key.
            assertThatThrownBy(() -> TestGateway.start("""
                    auth: { mode: client }
                    providers:
                      up: { type: openai, base_url: "%s/v1" }
                      other: { type: anthropic, base_url: "%s" }
                    models:
                      gpt:
                        deployments: [ { provider: up, model: model-a }, { provider: other, model: claude-sonnet-4-5 } ]
                    """.formatted(openAi.baseUrl(), anthropic.baseUrl())).close())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("models.gpt").hasMessageContaining("auth.mode: gateway");
            assertThat(anthropic.requests()).isEmpty();
        }
    }
}
