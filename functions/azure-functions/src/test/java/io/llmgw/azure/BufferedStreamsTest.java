package io.llmgw.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.azure.testing.FakeRequest;
import io.llmgw.azure.testing.FakeResponse;
import io.llmgw.testing.AnthropicStreams;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.ChatStreams;
import io.llmgw.testing.Reply;
import io.llmgw.testing.ResponsesStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Streaming requests on Functions: the whole SSE body at once, {@code text/event-stream}, passing
 * the same stream checks as the live stream of the container; a stream the upstream breaks ends
 * with the dialect's error event, as it would live.
 */
class BufferedStreamsTest {
    private FunctionsHarness harness;

    @BeforeEach
    void start() {
        harness = new FunctionsHarness();
        harness.upstream.handler(ChatScript.text("Streaming works on Functions, all at once.").chunkSize(6).usage(20, 9)
                .toolCall("call_1", "get_weather", "{\"city\":\"Paris\"}").handler());
        harness.start();
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private static void assertSse(FakeResponse response) {
        assertThat(response.getStatusCode()).as(response.bodyText()).isEqualTo(200);
        assertThat(response.getHeader("content-type")).startsWith("text/event-stream");
        assertThat(response.getHeader("content-length")).as("left to the platform").isNull();
    }

    @Test
    void chatCompletionsStream() {
        FakeResponse response = harness.call("chatCompletions", harness.authorized("POST", "/v1/chat/completions").json(
                "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));

        assertSse(response);
        ChatStreams.Summary summary = ChatStreams.check(response.bodyText(), false);
        assertThat(summary.content()).isEqualTo("Streaming works on Functions, all at once.");
        assertThat(summary.toolCalls()).extracting(ChatStreams.ToolCall::name).containsExactly("get_weather");
        assertThat(summary.finishReason()).isEqualTo("tool_calls");
    }

    @Test
    void responsesStream() {
        FakeResponse response = harness.call("responses", harness.authorized("POST", "/v1/responses").json(
                "{\"model\":\"gpt-4o\",\"stream\":true,\"input\":\"Hi\",\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\","
                        + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}]}"));

        assertSse(response);
        var completed = ResponsesStreams.check(response.bodyText());
        assertThat(completed.at("/output/0/content/0/text").asText()).isEqualTo("Streaming works on Functions, all at once.");
        assertThat(completed.at("/output/1/type").asText()).isEqualTo("function_call");
    }

    @Test
    void anthropicMessagesStream() {
        FakeResponse response = harness.call("messages", FakeRequest.of("POST", "/v1/messages")
                .header("x-api-key", FunctionsHarness.GATEWAY_KEY).header("anthropic-version", "2023-06-01")
                .json("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":256,\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));

        assertSse(response);
        AnthropicStreams.Summary summary = AnthropicStreams.check(response.bodyText());
        assertThat(summary.blocks()).extracting(AnthropicStreams.Block::type).containsExactly("text", "tool_use");
        assertThat(summary.stopReason()).isEqualTo("tool_use");
    }

    @Test
    void aStreamTheUpstreamBreaksEndsWithTheDialectsErrorEvent() {
        harness.upstream.handler(request -> ChatScript.text("This answer will be cut off").chunkSize(4).reply(request).resetAfterEvents(3));
        FakeResponse response = harness.call("messages", FakeRequest.of("POST", "/v1/messages")
                .header("x-api-key", FunctionsHarness.GATEWAY_KEY).header("anthropic-version", "2023-06-01")
                .json("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":256,\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));

        assertSse(response);
        assertThat(AnthropicStreams.check(response.bodyText()).error()).as("the stream ends with an error event").isNotNull();
    }

    @Test
    void anUpstreamRefusalBeforeTheStreamIsAPlainErrorWithItsHeaders() {
        harness.upstream.handler(request -> Reply.json(429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"rate_limit_error\"}}")
                .header("retry-after", "7"));
        FakeResponse response = harness.call("chatCompletions", harness.authorized("POST", "/v1/chat/completions")
                .json("{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));

        assertThat(response.getStatusCode()).isEqualTo(429);
        assertThat(response.getHeader("retry-after")).isEqualTo("7");
        assertThat(response.getHeader("content-type")).startsWith("application/json");
        assertThat(response.bodyText()).contains("Rate limit reached");
    }
}
