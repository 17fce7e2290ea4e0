package io.llmgw.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgw.core.http.Headers;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stream keeps its request object for as long as it lasts, so a translated stream lets go of the
 * raw body once the upstream call is built from the decoded request; a passed-through one still
 * needs it (failover sends it again) and keeps it.
 */
class TranslatedStreamReleaseTest {
    private static final String MESSAGE = "{\"model\":\"m\",\"max_tokens\":100,\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private FakeUpstream openai;
    private GatewayHarness harness;

    @BeforeEach
    void start() {
        openai = FakeUpstream.start();
        openai.handler(ChatScript.text("Hello there").chunkSize(64).handler());
        harness = new GatewayHarness("""
                auth: { mode: gateway, keys: ["${KEY}"] }
                routing: { retries: 0, health_check_interval: off }
                providers:
                  gpt: { type: openai, base_url: "%s/v1", api_key: sk-openai-00000000000000 }
                models:
                  m: { deployments: [ { provider: gpt, model: gpt-b } ] }
                """.formatted(openai.baseUrl()));
    }

    @AfterEach
    void stop() {
        harness.close();
        openai.close();
    }

    @Test
    void aTranslatedStreamLetsGoOfTheRawBodyAndStillAnswersInFull() {
        GatewayRequest request = request("/v1/messages", MESSAGE);
        BufferingSink sink = new BufferingSink();

        harness.gateway.handle(request, sink);

        assertThat(sink.status()).isEqualTo(200);
        assertThat(sink.bodyText()).contains("Hello there").contains("message_stop");
        assertThatThrownBy(request::body).isInstanceOf(IllegalStateException.class).hasMessageContaining("let go");
    }

    @Test
    void aPassedThroughStreamKeepsItsBody() {
        String chat = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        GatewayRequest request = request("/v1/chat/completions", chat);
        BufferingSink sink = new BufferingSink();

        harness.gateway.handle(request, sink);

        assertThat(sink.bodyText()).contains("Hello there").contains("[DONE]");
        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo(chat);
    }

    private static GatewayRequest request(String path, String body) {
        return new GatewayRequest("POST", path, null,
                Headers.of("content-type", "application/json", "authorization", "Bearer " + GatewayHarness.KEY),
                body.getBytes(StandardCharsets.UTF_8), "127.0.0.1", null);
    }
}
