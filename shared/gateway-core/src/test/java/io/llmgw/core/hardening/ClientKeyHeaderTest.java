package io.llmgw.core.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.testing.AnthropicScript;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Finding 8 of the hardening issue, at the core: in client mode the caller's key is forwarded, so
 * a key with bytes HTTP does not allow in a forwarded header is the caller's 400 (naming the
 * header, never echoing the value), not a 500 from the upstream HTTP client refusing it.
 */
class ClientKeyHeaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aClientKeyOutsideAsciiIsA400InTheClientsDialect() throws Exception {
        try (FakeUpstream chat = FakeUpstream.start().handler(ChatScript.text("ok").handler());
             FakeUpstream anthropic = FakeUpstream.start().handler(AnthropicScript.text("ok").handler());
             CoreGateway core = new CoreGateway("""
                     auth: { mode: client }
                     providers:
                       chat: { type: openai, base_url: "%s/v1" }
                       anth: { type: anthropic, base_url: "%s" }
                     models:
                       "claude-*": { deployments: [ { provider: anth } ] }
                       "*": { deployments: [ { provider: chat } ] }
                     """.formatted(chat.baseUrl(), anthropic.baseUrl()))) {
            for (String key : List.of("sk-caf\u00e9-client-key-0123456789", "sk-\u4e2d\u6587-client-key-0123456789")) {
                BufferingSink openAi = core.send("POST", "/v1/chat/completions",
                        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                        "content-type", "application/json", "authorization", "Bearer " + key);
                assertThat(openAi.status()).as(openAi.bodyText()).isEqualTo(400);
                JsonNode error = JSON.readTree(openAi.body()).path("error");
                assertThat(error.path("message").asText()).contains("authorization");
                assertThat(openAi.bodyText()).doesNotContain(key);

                BufferingSink messages = core.send("POST", "/v1/messages",
                        "{\"model\":\"claude-x\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                        "content-type", "application/json", "x-api-key", key, "anthropic-version", "2023-06-01");
                assertThat(messages.status()).as(messages.bodyText()).isEqualTo(400);
                assertThat(JSON.readTree(messages.body()).path("type").asText()).isEqualTo("error");
                assertThat(messages.bodyText()).doesNotContain(key).contains("x-api-key");
            }
            assertThat(chat.requests()).isEmpty();
            assertThat(anthropic.requests()).isEmpty();
        }
    }
}
