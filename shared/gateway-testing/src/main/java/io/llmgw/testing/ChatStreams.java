package io.llmgw.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A strict checker of Chat Completions streams as OpenAI sends them, stricter than the SDKs: one
 * {@code data:} line per event and no other field, {@code [DONE]} last; every chunk a
 * {@code chat.completion.chunk} with one id, creation time and model; one choice (index 0) per
 * chunk, the first carrying {@code role: assistant} and no later one a role; tool calls under
 * indices 0, 1, 2… in order of first appearance, the first fragment of each with id, type and
 * name and no later one with either, their arguments adding up to a JSON object; exactly one
 * {@code finish_reason}, in a chunk with an empty delta, nothing but the usage chunk after it;
 * and, when usage was asked for, {@code "usage": null} on every chunk before the usage chunk
 * ({@code choices: []}, integer counts that add up), else no usage anywhere.
 */
public final class ChatStreams {
    private static final StreamGrammar GRAMMAR = new StreamGrammar("Chat Completions stream grammar");

    /** One tool call as accumulated from the stream. */
    public record ToolCall(String id, String name, String arguments) {}

    /** What a valid stream said. {@code usage} is null when none was asked for. */
    public record Summary(String content, List<ToolCall> toolCalls, String finishReason, JsonNode usage, List<JsonNode> chunks) {}

    private ChatStreams() {}

    /** Checks the whole body; throws {@link AssertionError} naming the first violation. */
    public static Summary check(String body, boolean usageAskedFor) {
        List<JsonNode> chunks = new ArrayList<>();
        String[] frames = body.split("\n\n", -1);
        GRAMMAR.require(frames.length >= 2 && frames[frames.length - 1].isEmpty(), "the body ends with a blank line after the last event");
        GRAMMAR.require(frames[frames.length - 2].equals("data: [DONE]"), "data: [DONE] is the last event");
        for (int i = 0; i < frames.length - 2; i++) {
            GRAMMAR.require(frames[i].startsWith("data: ") && frames[i].indexOf('\n') < 0, "each event is one data: line, got: " + frames[i]);
            chunks.add(StreamGrammar.parse(frames[i].substring(6)));
        }
        GRAMMAR.require(!chunks.isEmpty(), "at least one chunk before [DONE]");
        JsonNode first = chunks.get(0);
        GRAMMAR.require(first.path("id").asText().startsWith("chatcmpl-"), "ids start with chatcmpl-: " + first);
        StringBuilder content = new StringBuilder();
        List<String[]> calls = new ArrayList<>();
        String finish = null;
        JsonNode usage = null;
        for (int i = 0; i < chunks.size(); i++) {
            JsonNode chunk = chunks.get(i);
            GRAMMAR.require(chunk.path("object").asText().equals("chat.completion.chunk"), "object is chat.completion.chunk: " + chunk);
            for (String field : new String[] {"id", "created", "model"}) {
                GRAMMAR.require(chunk.get(field) != null && chunk.get(field).equals(first.get(field)), "every chunk has the first one's " + field);
            }
            GRAMMAR.require(!chunk.has("error"), "no error chunk: " + chunk);
            JsonNode choices = chunk.path("choices");
            GRAMMAR.require(choices.isArray(), "choices is an array: " + chunk);
            if (choices.isEmpty()) {
                GRAMMAR.require(usageAskedFor && finish != null && i == chunks.size() - 1 && chunk.path("usage").isObject(),
                        "the only chunk without choices is the usage chunk, last and only when asked for: " + chunk);
                usage = chunk.get("usage");
                GRAMMAR.require(usage.path("prompt_tokens").isInt() && usage.path("completion_tokens").isInt()
                        && usage.path("total_tokens").asInt() == usage.path("prompt_tokens").asInt() + usage.path("completion_tokens").asInt(),
                        "usage counts are integers and add up: " + usage);
                continue;
            }
            GRAMMAR.require(usageAskedFor ? chunk.has("usage") && chunk.get("usage").isNull() : !chunk.hasNonNull("usage"),
                    (usageAskedFor ? "usage: null" : "no usage") + " on chunk " + i);
            GRAMMAR.require(finish == null, "nothing but the usage chunk after the finish_reason: " + chunk);
            GRAMMAR.require(choices.size() == 1 && choices.get(0).path("index").asInt(-1) == 0, "one choice with index 0: " + chunk);
            JsonNode choice = choices.get(0);
            JsonNode delta = choice.path("delta");
            GRAMMAR.require(delta.isObject(), "every choice has a delta object: " + chunk);
            GRAMMAR.require(i == 0 ? delta.path("role").asText().equals("assistant") : !delta.has("role"),
                    i == 0 ? "the first chunk says role: assistant" : "only the first chunk has a role");
            if (delta.hasNonNull("content")) {
                content.append(delta.get("content").asText());
            }
            for (JsonNode fragment : delta.path("tool_calls")) {
                int index = fragment.path("index").asInt(-1);
                GRAMMAR.require(index >= 0 && index <= calls.size(), "tool call indices are 0, 1, 2… in order: " + fragment);
                JsonNode function = fragment.path("function");
                if (index == calls.size()) {
                    GRAMMAR.require(fragment.path("id").isTextual() && fragment.path("type").asText().equals("function")
                            && function.path("name").isTextual(), "a call's first fragment has id, type and name: " + fragment);
                    calls.add(new String[] {fragment.get("id").asText(), function.get("name").asText(), ""});
                } else {
                    GRAMMAR.require(!fragment.has("id") && !function.has("name"), "only a call's first fragment has id and name: " + fragment);
                }
                calls.get(index)[2] += function.path("arguments").asText("");
            }
            if (choice.hasNonNull("finish_reason")) {
                GRAMMAR.require(delta.isEmpty(), "the finish_reason comes in a chunk with an empty delta: " + chunk);
                finish = choice.get("finish_reason").asText();
            }
        }
        GRAMMAR.require(finish != null, "one chunk carries a finish_reason");
        GRAMMAR.require(!usageAskedFor || usage != null, "the usage chunk comes when usage was asked for");
        List<ToolCall> toolCalls = new ArrayList<>();
        for (String[] call : calls) {
            GRAMMAR.require(StreamGrammar.parse(call[2]).isObject(), "tool call arguments add up to a JSON object: " + call[2]);
            toolCalls.add(new ToolCall(call[0], call[1], call[2]));
        }
        GRAMMAR.require(toolCalls.isEmpty() || finish.equals("tool_calls") || finish.equals("length"), "a turn with tool calls ends with tool_calls");
        return new Summary(content.toString(), toolCalls, finish, usage, chunks);
    }
}
