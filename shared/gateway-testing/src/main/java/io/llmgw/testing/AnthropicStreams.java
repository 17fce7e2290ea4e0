package io.llmgw.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A strict checker of Anthropic Messages streams (docs/protocol-mapping.md#messages-stream), stricter than any SDK: an
 * {@code event:} line naming the data's type on every event, {@code message_start} first, blocks
 * started at indices 0, 1, 2… and never overlapping, deltas only into the open block and of its
 * kind, no empty or whitespace-only text block, tool inputs that parse as JSON objects, then
 * {@code message_delta} (stop reason and usage) and {@code message_stop} last — or an
 * {@code error} event ending the stream.
 */
public final class AnthropicStreams {
    private static final StreamGrammar GRAMMAR = new StreamGrammar("Anthropic stream grammar");

    /** One content block as accumulated from the stream. */
    public record Block(String type, String text, JsonNode start) {}

    /** What a valid stream said. {@code error} is the error object when the stream ended with one, else null. */
    public record Summary(List<Block> blocks, String stopReason, JsonNode usage, JsonNode messageStart, JsonNode error) {}

    private AnthropicStreams() {}

    /** Checks the whole body; throws {@link AssertionError} naming the first violation. */
    public static Summary check(String body) {
        List<JsonNode> events = new ArrayList<>();
        for (String frame : body.split("\n\n")) {
            if (frame.isBlank()) {
                continue;
            }
            events.add(GRAMMAR.namedEvent(frame));
        }
        List<Block> blocks = new ArrayList<>();
        JsonNode start = null;
        JsonNode delta = null;
        int open = -1;
        StringBuilder content = null;
        boolean stopped = false;
        for (JsonNode event : events) {
            String type = event.get("type").asText();
            GRAMMAR.require(!stopped, "nothing after message_stop or error, got " + type);
            if (type.equals("ping")) {
                continue;
            }
            if (type.equals("error")) {
                GRAMMAR.require(event.path("error").hasNonNull("type") && event.path("error").hasNonNull("message"),
                        "error events carry error.type and error.message: " + event);
                return new Summary(blocks, null, null, start, event.get("error"));
            }
            if (start == null) {
                GRAMMAR.require(type.equals("message_start"), "message_start comes first, got " + type);
                start = event.get("message");
                GRAMMAR.require(start.path("id").asText().startsWith("msg_") && start.path("content").isArray()
                        && start.path("usage").has("input_tokens"), "message_start carries id, content and usage: " + event);
                continue;
            }
            int index = event.path("index").asInt(-1);
            switch (type) {
                case "content_block_start" -> {
                    GRAMMAR.require(open < 0, "block " + index + " started while block " + open + " is open");
                    GRAMMAR.require(index == blocks.size(), "blocks start at consecutive indices; expected " + blocks.size() + ", got " + index);
                    GRAMMAR.require(delta == null, "no block after message_delta");
                    JsonNode block = event.get("content_block");
                    blocks.add(new Block(block.get("type").asText(), null, block));
                    open = index;
                    content = new StringBuilder(block.path("type").asText().equals("redacted_thinking") ? block.path("data").asText() : "");
                }
                case "content_block_delta" -> {
                    GRAMMAR.require(index == open, "delta for block " + index + " while the open block is " + open);
                    String blockType = blocks.get(index).type();
                    String deltaType = event.path("delta").path("type").asText();
                    switch (deltaType) {
                        case "text_delta" -> GRAMMAR.require(blockType.equals("text"), "text_delta into a " + blockType + " block");
                        case "input_json_delta" -> GRAMMAR.require(blockType.equals("tool_use"), "input_json_delta into a " + blockType + " block");
                        case "thinking_delta", "signature_delta" -> GRAMMAR.require(blockType.equals("thinking"), deltaType + " into a " + blockType + " block");
                        default -> throw new AssertionError("unknown delta type " + deltaType);
                    }
                    JsonNode d = event.get("delta");
                    content.append(d.path("text").asText("")).append(d.path("partial_json").asText("")).append(d.path("thinking").asText(""));
                }
                case "content_block_stop" -> {
                    GRAMMAR.require(index == open, "stop for block " + index + " while the open block is " + open);
                    Block block = blocks.get(index);
                    String text = content.toString();
                    if (block.type().equals("text")) {
                        GRAMMAR.require(!text.isBlank(), "no empty or whitespace-only text block (block " + index + ")");
                    } else if (block.type().equals("tool_use")) {
                        GRAMMAR.require(block.start().path("id").asText().matches("[a-zA-Z0-9_-]+"), "tool_use ids match ^[a-zA-Z0-9_-]+$");
                        GRAMMAR.require(text.isEmpty() || StreamGrammar.parse(text).isObject(), "tool input of block " + index + " is a JSON object: " + text);
                    }
                    blocks.set(index, new Block(block.type(), text, block.start()));
                    open = -1;
                }
                case "message_delta" -> {
                    GRAMMAR.require(open < 0, "message_delta after every block stopped");
                    GRAMMAR.require(event.path("delta").hasNonNull("stop_reason"), "message_delta carries a stop_reason");
                    GRAMMAR.require(event.path("usage").has("output_tokens") && event.path("usage").has("input_tokens"),
                            "message_delta carries input and output usage");
                    delta = event;
                }
                case "message_stop" -> {
                    GRAMMAR.require(delta != null, "message_delta before message_stop");
                    stopped = true;
                }
                default -> throw new AssertionError("unknown event type " + type);
            }
        }
        GRAMMAR.require(stopped, "the stream ends with message_stop or an error event");
        return new Summary(blocks, delta.path("delta").path("stop_reason").asText(), delta.get("usage"), start, null);
    }
}
