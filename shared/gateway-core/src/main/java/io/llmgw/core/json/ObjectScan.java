package io.llmgw.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Reads the few fields wanted of one JSON object in one pass of Jackson's streaming parser, the
 * rest skipped unread, for the stream events that would otherwise each become a JSON tree. The
 * readings are those of the tree code it replaces: input that is not one well-formed JSON object
 * is refused as a whole ({@link #read} is false), trailing tokens included; a skipped string is
 * still checked to be valid UTF-8, as decoding it would. One instance serves a whole stream,
 * refilled by every {@link #read}.
 */
public abstract class ObjectScan {
    private static final JsonFactory JSON = Json.MAPPER.getFactory();
    /** The bytes the readings are of (the very array), or null after a refused read. */
    private byte[] held;

    /** Reads one object, replacing what the last one left; false, with nothing kept, when {@code json} is not one JSON object. */
    public final boolean read(byte[] json) {
        clear();
        held = null;
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            readFields(parser);
            // What follows the object refuses it, as the tree reader refuses trailing tokens.
            if (parser.nextToken() == null) {
                held = json;
                return true;
            }
        } catch (IOException malformed) {
            // refused below
        }
        clear();
        return false;
    }

    /**
     * Whether the readings are those of {@code json}, the very array, read last and accepted: a
     * stream's first event, read once to see whether it is an error, is not read again to relay it.
     */
    public final boolean holds(byte[] json) {
        return json != null && json == held;
    }

    /** Forgets what the last object left. */
    protected abstract void clear();

    /** Reads the object's fields: called just past its start, returns at its end. */
    protected abstract void readFields(JsonParser parser) throws IOException;

    /** The string the parser is at ({@code token}), or null with the value (a container with all it holds) skipped. */
    public static String text(JsonParser parser, JsonToken token) throws IOException {
        return token == JsonToken.VALUE_STRING ? parser.getText() : skip(parser);
    }

    /** Skips the value the parser is at (a container with all it holds): null, for a value not read. */
    public static String skip(JsonParser parser) throws IOException {
        parser.skipChildren();
        return null;
    }
}
