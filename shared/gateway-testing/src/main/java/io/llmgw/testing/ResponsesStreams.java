package io.llmgw.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A checker of OpenAI Responses streams in the form Codex CLI and the OpenAI SDKs need: one
 * {@code event:} line naming the data's type and one {@code data:} line per event,
 * {@code sequence_number} contiguous from 0, {@code response.created} then
 * {@code response.in_progress} first, a done for every added output item, a
 * {@code response.completed} carrying every item in full with integer usage, and
 * {@code [DONE]} last. Used on the live stream (the app) and on buffered ones (Azure Functions).
 */
public final class ResponsesStreams {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResponsesStreams() {}

    /** Checks the whole body; returns the response object of its terminal event; throws {@link AssertionError} on a violation. */
    public static JsonNode check(String body) {
        String[] frames = body.split("\n\n");
        require(frames[frames.length - 1].equals("data: [DONE]"), "the stream ends with [DONE]");
        List<JsonNode> events = new ArrayList<>();
        for (int i = 0; i < frames.length - 1; i++) {
            String[] lines = frames[i].split("\n");
            require(lines.length == 2 && lines[0].startsWith("event: ") && lines[1].startsWith("data: "),
                    "frame " + i + " is an event line and one data line: " + frames[i]);
            JsonNode event = parse(lines[1].substring(6));
            require(event.path("type").asText().equals(lines[0].substring(7)), "event name matches data.type in frame " + i);
            require(event.path("sequence_number").isInt() && event.get("sequence_number").asInt() == i,
                    "sequence_number of event " + i + " is " + i);
            events.add(event);
        }
        require(events.size() >= 3, "at least created, in_progress and a terminal event");
        require(events.get(0).path("type").asText().equals("response.created"), "response.created first");
        require(events.get(0).at("/response/id").asText().startsWith("resp_"), "response ids start with resp_");
        require(events.get(1).path("type").asText().equals("response.in_progress"), "response.in_progress second");
        JsonNode terminal = events.get(events.size() - 1);
        require(terminal.path("type").asText().equals("response.completed"), "response.completed last, got " + terminal.path("type"));

        Map<Integer, String> added = new HashMap<>();
        Map<Integer, JsonNode> done = new HashMap<>();
        for (JsonNode event : events.subList(0, events.size() - 1)) {
            String type = event.path("type").asText();
            require(!type.startsWith("response.completed") && !type.equals("response.failed") && !type.equals("error"),
                    "no terminal or error event before the last: " + type);
            int index = event.path("output_index").asInt(-1);
            switch (type) {
                case "response.output_item.added" -> require(added.put(index, event.at("/item/id").asText()) == null,
                        "output item " + index + " added once");
                case "response.output_item.done" -> {
                    require(event.at("/item/id").asText().equals(added.get(index)), "done for an added item " + index);
                    require(done.put(index, event.get("item")) == null, "output item " + index + " done once");
                }
                default -> { }
            }
        }
        require(done.keySet().equals(added.keySet()), "every added item is done");
        JsonNode output = terminal.at("/response/output");
        require(output.size() == done.size(), "completed carries every item");
        for (int i = 0; i < output.size(); i++) {
            require(output.get(i).equals(done.get(i)), "completed carries item " + i + " in full");
        }
        checkUsage(terminal.at("/response/usage"));
        return terminal.get("response");
    }

    /** Integer usage with the details openai-java requires, and a total that adds up. */
    public static void checkUsage(JsonNode usage) {
        require(usage.path("input_tokens").isInt() && usage.path("output_tokens").isInt() && usage.path("total_tokens").isInt(),
                "integer input, output and total tokens: " + usage);
        require(usage.at("/input_tokens_details/cached_tokens").isInt(), "integer input_tokens_details.cached_tokens: " + usage);
        require(usage.at("/output_tokens_details/reasoning_tokens").isInt(), "integer output_tokens_details.reasoning_tokens: " + usage);
        require(usage.get("total_tokens").asInt() == usage.get("input_tokens").asInt() + usage.get("output_tokens").asInt(),
                "total_tokens = input_tokens + output_tokens: " + usage);
    }

    private static void require(boolean condition, String rule) {
        if (!condition) {
            throw new AssertionError("Responses stream: " + rule);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }
}
