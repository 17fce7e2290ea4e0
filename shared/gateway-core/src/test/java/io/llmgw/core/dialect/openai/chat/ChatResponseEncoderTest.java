package io.llmgw.core.dialect.openai.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Block;
import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.model.StopReason;
import io.llmgw.core.model.Usage;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A complete canonical answer as a {@code chat.completion}. */
class ChatResponseEncoderTest {
    private static final ChatEnvelope ENVELOPE = new ChatEnvelope("chatcmpl-test", 1_760_000_000L, "gpt-4o");

    private static JsonNode encode(CanonicalResponse response) throws IOException {
        return Json.parse(ChatResponseEncoder.encode(response, ENVELOPE));
    }

    @Test
    void thinkingTextAndToolCalls() throws IOException {
        JsonNode completion = encode(new CanonicalResponse("msg_01", "claude-sonnet-4-5", List.of(
                new Block.Thinking("User wants weather.", "EqQB"),
                new Block.RedactedThinking("opaque"),
                new Block.Text("Checking."),
                new Block.ToolCall("toolu_01", "get_weather", "{\"city\":\"Paris\"}"),
                new Block.Text(" Both."),
                new Block.ToolCall("toolu_02", "get_time", "", false, "sig")),
                StopReason.TOOL_USE, null, new Usage(2460, 88, 2048, 0, 30)));

        assertThat(completion.get("id").asText()).isEqualTo("chatcmpl-test");
        assertThat(completion.get("object").asText()).isEqualTo("chat.completion");
        assertThat(completion.get("created").asLong()).isEqualTo(1_760_000_000L);
        assertThat(completion.get("model").asText()).isEqualTo("gpt-4o");
        JsonNode choice = completion.at("/choices/0");
        assertThat(choice.get("index").asInt()).isZero();
        assertThat(choice.get("finish_reason").asText()).isEqualTo("tool_calls");
        JsonNode message = choice.get("message");
        assertThat(message.get("role").asText()).isEqualTo("assistant");
        assertThat(message.get("content").asText()).isEqualTo("Checking. Both.");
        assertThat(message.get("reasoning_content").asText()).isEqualTo("User wants weather.");
        assertThat(message.get("tool_calls").toString()).isEqualTo("[{\"id\":\"toolu_01\",\"type\":\"function\",\"function\":"
                + "{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}},{\"id\":\"toolu_02\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_time\",\"arguments\":\"{}\"},\"extra_content\":{\"google\":{\"thought_signature\":\"sig\"}}}]");
        assertThat(completion.get("usage").toString()).isEqualTo("{\"prompt_tokens\":2460,\"completion_tokens\":88,"
                + "\"total_tokens\":2548,\"prompt_tokens_details\":{\"cached_tokens\":2048},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":30}}");
    }

    @Test
    void contentIsNullWhenTheAnswerIsOnlyToolCalls() throws IOException {
        JsonNode completion = encode(new CanonicalResponse(null, null, List.of(new Block.Text(" "),
                new Block.ToolCall("call_1", "a", "{}")), StopReason.END_TURN, null, Usage.NONE));

        JsonNode message = completion.at("/choices/0/message");
        assertThat(message.get("content").isNull()).isTrue();
        assertThat(message.has("reasoning_content")).isFalse();
        assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(completion.has("usage")).as("no made-up usage").isFalse();
    }

    @Test
    void plainTextWithALengthCut() throws IOException {
        JsonNode completion = encode(new CanonicalResponse(null, null, List.of(new Block.Text("Once upon")),
                StopReason.MAX_TOKENS, null, new Usage(5, 2, null, null, null)));

        assertThat(completion.at("/choices/0/message/content").asText()).isEqualTo("Once upon");
        assertThat(completion.at("/choices/0/message").has("tool_calls")).isFalse();
        assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(completion.at("/usage/total_tokens").asInt()).isEqualTo(7);
        assertThat(completion.at("/usage/prompt_tokens_details/cached_tokens").asInt()).isZero();
    }
}
