package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.testing.AnthropicStreams;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.ChatStreams;
import io.llmgw.testing.FakeUpstream;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Streams in turn share their event loop's upstream connection: the gateway stops reading a stream at its end
 * marker ({@code [DONE]}), and then reads the body's last chunk too instead of dropping the
 * connection — otherwise every stream would open a connection (and, over TLS, a handshake) to the
 * upstream before its first token.
 */
class UpstreamConnectionReuseTest {
    private static final String CHAT = "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    private static final String MESSAGES = "{\"model\":\"gpt-4o\",\"max_tokens\":64,\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";

    @Test
    void streamsInTurnUseOneUpstreamConnection() {
        try (FakeUpstream upstream = FakeUpstream.start(); TestGateway gateway = TestGateway.inFrontOf(upstream.baseUrl())) {
            upstream.handler(request -> ChatScript.text("kept open").reply(request));
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> passedThrough = gateway.postJsonWithKey("/v1/chat/completions", CHAT);
                assertThat(passedThrough.statusCode()).isEqualTo(200);
                ChatStreams.check(passedThrough.body(), false);
                HttpResponse<String> translated = gateway.postJson("/v1/messages", MESSAGES,
                        "x-api-key", TestGateway.GATEWAY_KEY, "anthropic-version", "2023-06-01");
                assertThat(AnthropicStreams.check(translated.body()).blocks()).singleElement()
                        .satisfies(block -> assertThat(block.text()).isEqualTo("kept open"));
            }
            assertThat(upstream.requests()).hasSize(6);
            // each event loop keeps its own upstream connections, and the client's connections may land on different loops
            assertThat(upstream.connectionsAccepted()).as("upstream connections for six streams in turn")
                    .isLessThanOrEqualTo(Math.min(Runtime.getRuntime().availableProcessors(), 5));
        }
    }
}
