package io.llmgw.core.protocol.anthropic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.llmgw.core.json.ObjectScan;
import io.llmgw.core.json.ScannedInt;
import java.io.IOException;

/**
 * What {@link AnthropicStreamDecoder} reads of the events that make most of an Anthropic stream
 * ({@code content_block_delta}, {@code content_block_stop}), in one pass of Jackson's streaming
 * parser with everything else skipped unread, so those events need no JSON tree: the top-level
 * {@code type} and {@code index}, and of the {@code delta} object its {@code type} and texts.
 *
 * <p>The readings are those of the tree code: an event that is not one well-formed JSON object is
 * refused as a whole ({@link #read} is false), trailing tokens included; a field of the wrong type
 * reads as absent ({@code index} as {@code asInt()} reads it); of duplicate keys the last counts.
 * One instance serves a whole stream, refilled by every {@link #read}.
 */
final class AnthropicEventScan extends ObjectScan {

    private String type;
    private final ScannedInt index = new ScannedInt();
    private String deltaType;
    private String text;
    private String thinking;
    private String signature;
    private String partialJson;

    @Override
    protected void clear() {
        type = null;
        index.clear();
        clearDelta();
    }

    private void clearDelta() {
        deltaType = text = thinking = signature = partialJson = null;
    }

    @Override
    protected void readFields(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            switch (name) {
                case "type" -> type = text(parser, token);
                case "index" -> index.read(parser, token);
                case "delta" -> readDelta(parser, token);
                default -> { }
            }
            parser.skipChildren();
        }
    }

    private void readDelta(JsonParser parser, JsonToken token) throws IOException {
        clearDelta();
        if (token != JsonToken.START_OBJECT) {
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "type" -> deltaType = text(parser, value);
                case "text" -> text = text(parser, value);
                case "thinking" -> thinking = text(parser, value);
                case "signature" -> signature = text(parser, value);
                case "partial_json" -> partialJson = text(parser, value);
                default -> { }
            }
            parser.skipChildren();
        }
    }

    /** The top-level {@code type}; null when absent or not a string. */
    String type() {
        return type;
    }

    /** The top-level {@code index} as {@code asInt()} reads it (0 when absent or not a number). */
    int index() {
        return index.asInt(0);
    }

    /** The {@code type} of the {@code delta} object; null when absent, not a string, or no delta object. */
    String deltaType() {
        return deltaType;
    }

    /** The delta's {@code text}; null when absent or not a string. */
    String text() {
        return text;
    }

    /** The delta's {@code thinking}; null when absent or not a string. */
    String thinking() {
        return thinking;
    }

    /** The delta's {@code signature}; null when absent or not a string. */
    String signature() {
        return signature;
    }

    /** The delta's {@code partial_json}; null when absent or not a string. */
    String partialJson() {
        return partialJson;
    }
}
