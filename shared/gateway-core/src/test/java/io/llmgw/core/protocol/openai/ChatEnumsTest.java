package io.llmgw.core.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.model.Block;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.Message;
import io.llmgw.core.model.Reasoning;
import io.llmgw.core.model.Role;
import io.llmgw.core.protocol.ToolNames;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Values that differ between the Responses API (or Anthropic) and chat completions reach chat upstreams as ones they take. */
class ChatEnumsTest {
    private static ObjectNode encode(String detail, String effort, ChatOptions options) {
        Message user = new Message(Role.USER, List.of(new Block.Text("What is this?"),
                new Block.Image("image/png", "iVBORw0KGgo=", null, detail)));
        CanonicalRequest request = new CanonicalRequest("gpt-5.5", null, List.of(user), null, null, null, null, null, null, null,
                null, effort == null ? null : new Reasoning(effort, null), null, false, null);
        return ChatRequestEncoder.encode(request, "gpt-5.5", options, ToolNames.NONE);
    }

    @ParameterizedTest
    @CsvSource({"original, high", "high, high", "low, low", "auto, auto"})
    void imageDetailIsOneChatTakes(String detail, String sent) {
        assertThat(encode(detail, null, new ChatOptions(true, true, null)).at("/messages/0/content/1/image_url/detail").asText())
                .isEqualTo(sent);
    }

    @Test
    void anUnknownDetailIsLeftToTheDefault() {
        assertThat(encode("ultra", null, new ChatOptions(true, true, null)).at("/messages/0/content/1/image_url").has("detail")).isFalse();
        assertThat(encode(null, null, new ChatOptions(true, true, null)).at("/messages/0/content/1/image_url").has("detail")).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        // OpenAI's own API and Azure: the whole scale; Anthropic's max is above it
        "openai, none, none", "openai, minimal, minimal", "openai, xhigh, xhigh", "openai, max, xhigh",
        // Gemini: none and minimal, nothing above high
        "gemini, none, none", "gemini, minimal, minimal", "gemini, xhigh, high", "gemini, max, high",
        // compatible servers validate low | medium | high
        "common, none, low", "common, minimal, low", "common, low, low", "common, medium, medium", "common, xhigh, high",
        "common, max, high"})
    void reasoningEffortIsTheNearestTheServerTakes(String server, String asked, String sent) {
        List<String> efforts = switch (server) {
            case "openai" -> ChatOptions.OPENAI_EFFORTS;
            case "gemini" -> ChatOptions.GEMINI_EFFORTS;
            default -> ChatOptions.COMMON_EFFORTS;
        };
        ChatOptions options = new ChatOptions(true, true, null, false, efforts);

        assertThat(encode(null, asked, options).get("reasoning_effort").asText()).isEqualTo(sent);
    }
}
