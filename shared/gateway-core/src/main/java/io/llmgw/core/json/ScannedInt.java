package io.llmgw.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.NumberInput;
import java.io.IOException;

/**
 * A field read with Jackson's streaming parser, answered as {@code JsonNode.asInt(fallback)} answers
 * for the tree of the same bytes: numbers truncated towards zero (or wrapped, past a long), numeric
 * strings parsed, {@code true} 1 and {@code false} 0, anything else (or no field) the fallback. For
 * one-pass readers that replace tree code and must read as it did.
 */
public final class ScannedInt {
    private JsonToken token;
    private int number;
    private String text;

    /** Forgets the value read: the field is absent again. */
    public void clear() {
        token = null;
        text = null;
    }

    /** Reads the value the parser is at ({@code token}); a container is left for the caller to skip. */
    public void read(JsonParser parser, JsonToken token) throws IOException {
        this.token = token;
        text = null;
        switch (token) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> number = truncated(parser, token);
            case VALUE_STRING -> text = parser.getText();
            default -> { }
        }
    }

    /** The value as {@code asInt(fallback)} reads the tree's. */
    public int asInt(int fallback) {
        if (token == null) {
            return fallback;
        }
        return switch (token) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> number;
            case VALUE_STRING -> NumberInput.parseAsInt(text, fallback);
            case VALUE_TRUE -> 1;
            case VALUE_FALSE -> 0;
            default -> fallback;
        };
    }

    /** The number the parser is at ({@code token} an int or a float) as a tree's {@code intValue()} gives it. */
    public static int truncated(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            return (int) parser.getDoubleValue();
        }
        return switch (parser.getNumberType()) {
            case INT -> parser.getIntValue();
            case LONG -> (int) parser.getLongValue();
            default -> parser.getBigIntegerValue().intValue();
        };
    }
}
