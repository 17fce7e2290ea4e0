package io.llmgw.core.protocol.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.llmgw.core.json.ObjectScan;
import io.llmgw.core.json.ScannedInt;
import java.io.IOException;

/**
 * The top level of one Responses stream event, read in one pass of Jackson's streaming parser with
 * every nested value skipped unread: what a relay needs to pass on the many delta events
 * ({@code response.output_text.delta}, {@code response.function_call_arguments.delta}, reasoning
 * deltas…) without making each a JSON tree, and to tell the few events that need one.
 *
 * <p>The readings are those of the tree code: an event that is not one well-formed JSON object is
 * refused as a whole ({@link #read} is false), trailing tokens included; a field of the wrong type
 * reads as absent; of duplicate keys the last counts; {@code sequence_number} is read as
 * {@code JsonNode.asInt(fallback)} reads it (numbers truncated, numeric strings parsed, booleans 1
 * or 0). One instance serves a whole stream, refilled by every {@link #read}.
 */
public final class ResponsesEventHead extends ObjectScan {

    private String type;
    private boolean responseObject;
    private boolean itemObject;
    private final ScannedInt sequence = new ScannedInt();

    @Override
    protected void clear() {
        type = null;
        responseObject = itemObject = false;
        sequence.clear();
    }

    @Override
    protected void readFields(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            switch (name) {
                case "type" -> type = text(parser, token);
                case "response" -> responseObject = token == JsonToken.START_OBJECT;
                case "item" -> itemObject = token == JsonToken.START_OBJECT;
                case "sequence_number" -> sequence.read(parser, token);
                default -> { }
            }
            parser.skipChildren();
        }
    }

    /** The top-level {@code type}; null when absent or not a string. */
    public String type() {
        return type;
    }

    /** Whether the event's {@code response} is an object (a lifecycle event carrying the whole response). */
    public boolean hasResponseObject() {
        return responseObject;
    }

    /** Whether the event's {@code item} is an object. */
    public boolean hasItemObject() {
        return itemObject;
    }

    /** {@code sequence_number} as {@code JsonNode.asInt(fallback)} reads it: {@code fallback} when absent, null or not a number. */
    public int sequenceNumber(int fallback) {
        return sequence.asInt(fallback);
    }
}
