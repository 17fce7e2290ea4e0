package io.llmgw.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What the stream checkers ({@link ChatStreams}, {@link ResponsesStreams}, {@link AnthropicStreams})
 * share: a rule that fails naming its grammar, JSON reading, and the frame of one {@code event:} line
 * and one {@code data:} line that Responses and Anthropic streams use.
 */
final class StreamGrammar {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;

    /** @param name how a violation names the grammar, e.g. {@code Anthropic stream grammar} */
    StreamGrammar(String name) {
        this.name = name;
    }

    /** Throws an {@link AssertionError} stating {@code rule} when {@code condition} does not hold. */
    void require(boolean condition, String rule) {
        if (!condition) {
            throw new AssertionError(name + ": " + rule);
        }
    }

    /** The data of a frame that is one {@code event:} line naming the data's {@code type} and one {@code data:} line. */
    JsonNode namedEvent(String frame) {
        String[] lines = frame.split("\n");
        require(lines.length == 2 && lines[0].startsWith("event: ") && lines[1].startsWith("data: "),
                "every event is one event: line and one data: line, got: " + frame);
        JsonNode data = parse(lines[1].substring(6));
        require(lines[0].substring(7).equals(data.path("type").asText()), "event name matches data.type: " + frame);
        return data;
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }
}
