package io.llmgw.core.protocol.openai;

import static io.llmgw.core.json.ObjectScan.skip;
import static io.llmgw.core.json.ObjectScan.text;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * One element of a chunk delta's {@code tool_calls}, as {@link ChatChunk} reads it: a part of a
 * call (its opening with id and name, or a piece of its arguments). An element that is not an
 * object reads as a fragment with nothing in it. Valid until the chunk's next read.
 */
public final class ChatToolCallFragment {
    private final boolean decoding;
    private boolean object;
    private boolean hasIndex;
    private boolean intIndex;
    private int index;
    private String id;
    private String name;
    private String arguments;
    private String thoughtSignature;

    ChatToolCallFragment(boolean decoding) {
        this.decoding = decoding;
    }

    void read(JsonParser parser, JsonToken token) throws IOException {
        object = token == JsonToken.START_OBJECT;
        hasIndex = intIndex = false;
        id = name = arguments = thoughtSignature = null;
        if (!object) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "index" -> {
                    hasIndex = true;
                    intIndex = value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT;
                    index = intIndex ? parser.getIntValue() : 0;
                    parser.skipChildren();
                }
                case "id" -> id = decoding ? text(parser, value) : skip(parser);
                case "function" -> readFunction(parser, value);
                case "extra_content" -> thoughtSignature = decoding ? readSignature(parser, value) : skip(parser);
                default -> parser.skipChildren();
            }
        }
    }

    private void readFunction(JsonParser parser, JsonToken token) throws IOException {
        name = arguments = null;
        if (token != JsonToken.START_OBJECT || !decoding) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "name" -> name = text(parser, value);
                case "arguments" -> arguments = text(parser, value);
                default -> parser.skipChildren();
            }
        }
    }

    /** {@code extra_content.google.thought_signature}: Gemini's signature of the thinking behind the call. */
    private static String readSignature(JsonParser parser, JsonToken token) throws IOException {
        return readField(parser, token, "google",
                google -> readField(parser, google, "thought_signature", signature -> text(parser, signature)));
    }

    /** Reads field {@code field} of the object the parser is at (the last, if given twice) with {@code value}; null when absent. */
    private static String readField(JsonParser parser, JsonToken token, String field, FieldReader value) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            return skip(parser);
        }
        String read = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken next = parser.nextToken();
            if (name.equals(field)) {
                read = value.read(next);
            } else {
                parser.skipChildren();
            }
        }
        return read;
    }

    private interface FieldReader {
        String read(JsonToken token) throws IOException;
    }

    /** Whether the element is a JSON object (anything else is no fragment a relay could number). */
    public boolean isObject() {
        return object;
    }

    /** Whether it has an {@code index} key, whatever its value. */
    public boolean hasIndex() {
        return hasIndex;
    }

    /** Whether its {@code index} is a number that fits an {@code int} (a tree's {@code isInt()}). */
    public boolean hasIntIndex() {
        return intIndex;
    }

    /** Its {@code index}, when {@link #hasIntIndex()}. */
    public int index() {
        return index;
    }

    /** Its {@code id}; null when not a string. Read texts are null when the chunk was read {@link ChatChunk#forRelay()}. */
    public String id() {
        return id;
    }

    /** {@code function.name}; null when not a string. */
    public String name() {
        return name;
    }

    /** {@code function.arguments}, a piece of the call's JSON arguments; null when not a string. */
    public String arguments() {
        return arguments;
    }

    /** {@code extra_content.google.thought_signature}; null when not a string. */
    public String thoughtSignature() {
        return thoughtSignature;
    }
}
