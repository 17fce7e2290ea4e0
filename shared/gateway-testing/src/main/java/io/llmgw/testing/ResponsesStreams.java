package io.llmgw.testing;

import com.fasterxml.jackson.databind.JsonNode;
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
    private static final StreamGrammar GRAMMAR = new StreamGrammar("Responses stream");

    private ResponsesStreams() {}

    /** Checks the whole body; returns the response object of its terminal event; throws {@link AssertionError} on a violation. */
    public static JsonNode check(String body) {
        String[] frames = body.split("\n\n");
        GRAMMAR.require(frames[frames.length - 1].equals("data: [DONE]"), "the stream ends with [DONE]");
        List<JsonNode> events = new ArrayList<>();
        for (int i = 0; i < frames.length - 1; i++) {
            JsonNode event = GRAMMAR.namedEvent(frames[i]);
            GRAMMAR.require(event.path("sequence_number").isInt() && event.get("sequence_number").asInt() == i,
                    "sequence_number of event " + i + " is " + i);
            events.add(event);
        }
        GRAMMAR.require(events.size() >= 3, "at least created, in_progress and a terminal event");
        GRAMMAR.require(events.get(0).path("type").asText().equals("response.created"), "response.created first");
        GRAMMAR.require(events.get(0).at("/response/id").asText().startsWith("resp_"), "response ids start with resp_");
        GRAMMAR.require(events.get(1).path("type").asText().equals("response.in_progress"), "response.in_progress second");
        JsonNode terminal = events.get(events.size() - 1);
        GRAMMAR.require(terminal.path("type").asText().equals("response.completed"), "response.completed last, got " + terminal.path("type"));

        Map<Integer, String> added = new HashMap<>();
        Map<Integer, JsonNode> done = new HashMap<>();
        for (JsonNode event : events.subList(0, events.size() - 1)) {
            String type = event.path("type").asText();
            GRAMMAR.require(!type.startsWith("response.completed") && !type.equals("response.failed") && !type.equals("error"),
                    "no terminal or error event before the last: " + type);
            int index = event.path("output_index").asInt(-1);
            switch (type) {
                case "response.output_item.added" -> GRAMMAR.require(added.put(index, event.at("/item/id").asText()) == null,
                        "output item " + index + " added once");
                case "response.output_item.done" -> {
                    GRAMMAR.require(event.at("/item/id").asText().equals(added.get(index)), "done for an added item " + index);
                    GRAMMAR.require(done.put(index, event.get("item")) == null, "output item " + index + " done once");
                }
                default -> { }
            }
        }
        GRAMMAR.require(done.keySet().equals(added.keySet()), "every added item is done");
        JsonNode output = terminal.at("/response/output");
        GRAMMAR.require(output.size() == done.size(), "completed carries every item");
        for (int i = 0; i < output.size(); i++) {
            GRAMMAR.require(output.get(i).equals(done.get(i)), "completed carries item " + i + " in full");
        }
        checkUsage(terminal.at("/response/usage"));
        return terminal.get("response");
    }

    /** Integer usage with the details openai-java requires, and a total that adds up. */
    public static void checkUsage(JsonNode usage) {
        GRAMMAR.require(usage.path("input_tokens").isInt() && usage.path("output_tokens").isInt() && usage.path("total_tokens").isInt(),
                "integer input, output and total tokens: " + usage);
        GRAMMAR.require(usage.at("/input_tokens_details/cached_tokens").isInt(), "integer input_tokens_details.cached_tokens: " + usage);
        GRAMMAR.require(usage.at("/output_tokens_details/reasoning_tokens").isInt(), "integer output_tokens_details.reasoning_tokens: " + usage);
        GRAMMAR.require(usage.get("total_tokens").asInt() == usage.get("input_tokens").asInt() + usage.get("output_tokens").asInt(),
                "total_tokens = input_tokens + output_tokens: " + usage);
    }
}
