package io.llmgw.core.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Block;
import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.protocol.ToolNames;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a non-streamed Anthropic {@code message} into a canonical response: text, thinking with its
 * signature, redacted thinking and tool calls in their order; server tool blocks are skipped, as
 * in streams.
 */
public final class AnthropicResponseDecoder {
    private AnthropicResponseDecoder() {}

    public static CanonicalResponse decode(byte[] body, ToolNames names, Set<String> customTools) {
        JsonNode message;
        try {
            message = Json.parse(body);
        } catch (IOException e) {
            throw invalid();
        }
        if (message == null || !message.path("content").isArray()) {
            throw invalid();
        }
        List<Block> content = new ArrayList<>();
        for (JsonNode block : message.get("content")) {
            switch (block.path("type").asText()) {
                case "text" -> {
                    String text = Json.text(block, "text");
                    if (text != null && !text.isEmpty()) {
                        content.add(new Block.Text(text));
                    }
                }
                case "thinking" -> content.add(new Block.Thinking(block.path("thinking").asText(""), Json.text(block, "signature")));
                case "redacted_thinking" -> content.add(new Block.RedactedThinking(block.path("data").asText()));
                case "tool_use" -> {
                    String name = names.client(block.path("name").asText());
                    JsonNode input = block.get("input");
                    content.add(new Block.ToolCall(Json.text(block, "id"), name,
                            input != null && input.isObject() ? Json.string(input) : "{}", customTools.contains(name), null));
                }
                default -> {
                    // server tool use and its results: run by Anthropic, nothing a client could continue
                }
            }
        }
        return new CanonicalResponse(Json.text(message, "id"), Json.text(message, "model"), content,
                AnthropicStopReasons.parse(Json.text(message, "stop_reason")), Json.text(message, "stop_sequence"),
                AnthropicUsage.read(message.get("usage")));
    }

    private static RuntimeException invalid() {
        return GatewayError.of(ErrorKind.UPSTREAM_ERROR, "The upstream answered with a body that is not an Anthropic message.",
                "upstream_malformed_response").withStatus(502).exception();
    }
}
