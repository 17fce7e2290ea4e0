package io.llmgw.core.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Usage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the stream decoder and the chat relay read of a chunk, once from its JSON tree the way their
 * code did before {@link ChatChunk}, once from a {@link ChatChunk}: equal readings mean the same behaviour.
 */
final class TreeReading {
    record Decoding(boolean error, String id, String model, Usage usage, List<DecodedChoice> choices) {}

    record DecodedChoice(int index, String finishReason, String stopReason, String matchedStop, String content, String reasoning,
                         List<Fragment> toolCalls) {}

    record Fragment(Integer index, String id, String name, String arguments, String thoughtSignature) {}

    record Relay(boolean error, String model, Json.StringAt modelAt, Usage usage, List<RelayedChoice> choices,
                 boolean toolCallWithoutIndex) {}

    record RelayedChoice(boolean finishReason, boolean logprobs, boolean deltaCarriesSomething) {}

    private TreeReading() {}

    static Decoding decoding(ChatChunk chunk) {
        List<DecodedChoice> choices = new ArrayList<>();
        for (int i = 0; i < chunk.choiceCount(); i++) {
            ChatChunkChoice choice = chunk.choice(i);
            List<Fragment> fragments = new ArrayList<>();
            for (int f = 0; f < choice.toolCallCount(); f++) {
                ChatToolCallFragment fragment = choice.toolCall(f);
                fragments.add(new Fragment(fragment.hasIntIndex() ? fragment.index() : null, fragment.id(), fragment.name(),
                        fragment.arguments(), fragment.thoughtSignature()));
            }
            choices.add(new DecodedChoice(choice.index(), choice.finishReason(), choice.stopReason(), choice.matchedStop(),
                    choice.content(), choice.reasoning(), fragments));
        }
        return new Decoding(chunk.hasError(), chunk.id(), chunk.model(), chunk.usage(), choices);
    }

    /** As ChatStreamDecoder read the tree. */
    static Decoding decoding(ObjectNode chunk) {
        List<DecodedChoice> choices = new ArrayList<>();
        JsonNode choiceArray = chunk.get("choices");
        if (choiceArray != null && choiceArray.isArray()) {
            for (JsonNode choice : choiceArray) {
                JsonNode delta = choice.get("delta");
                boolean object = delta != null && delta.isObject();
                List<Fragment> fragments = new ArrayList<>();
                JsonNode toolCalls = object ? delta.get("tool_calls") : null;
                if (toolCalls != null && toolCalls.isArray()) {
                    for (JsonNode fragment : toolCalls) {
                        JsonNode index = fragment.get("index");
                        JsonNode function = fragment.path("function");
                        fragments.add(new Fragment(index != null && index.isInt() ? index.intValue() : null, Json.text(fragment, "id"),
                                Json.text(function, "name"), Json.text(function, "arguments"),
                                Json.text(fragment.path("extra_content").path("google"), "thought_signature")));
                    }
                }
                JsonNode content = object ? delta.get("content") : null;
                choices.add(new DecodedChoice(choice.path("index").asInt(0), Json.text(choice, "finish_reason"),
                        Json.text(choice, "stop_reason"), Json.text(choice, "matched_stop"),
                        content != null && content.isTextual() ? content.textValue() : null,
                        object ? ChatWire.reasoning(delta) : null, fragments));
            }
        }
        JsonNode error = chunk.get("error");
        return new Decoding(error != null && !error.isNull(), Json.text(chunk, "id"), Json.text(chunk, "model"),
                ChatWire.usage(chunk.get("usage")), choices);
    }

    static Relay relay(ChatChunk chunk) {
        List<RelayedChoice> choices = new ArrayList<>();
        for (int i = 0; i < chunk.choiceCount(); i++) {
            ChatChunkChoice choice = chunk.choice(i);
            choices.add(new RelayedChoice(choice.hasFinishReason(), choice.hasLogprobs(), choice.deltaCarriesSomething()));
        }
        return new Relay(chunk.hasError(), chunk.model(), chunk.modelAt(), chunk.usage(), choices, chunk.hasToolCallWithoutIndex());
    }

    /** As ChatPassthroughStream read the tree, and RequestedModel found the model to rewrite. */
    static Relay relay(ObjectNode chunk, byte[] bytes) {
        List<RelayedChoice> choices = new ArrayList<>();
        boolean toolCallWithoutIndex = false;
        JsonNode choiceArray = chunk.get("choices");
        if (choiceArray != null && choiceArray.isArray()) {
            for (JsonNode choice : choiceArray) {
                JsonNode finish = choice.get("finish_reason");
                JsonNode delta = choice.get("delta");
                boolean carries = false;
                if (delta != null && delta.isObject()) {
                    for (JsonNode value : delta) {
                        carries |= !value.isNull();
                    }
                }
                choices.add(new RelayedChoice(finish != null && !finish.isNull(), choice.has("logprobs") && !choice.get("logprobs").isNull(),
                        carries));
                for (JsonNode fragment : choice.path("delta").path("tool_calls")) {
                    toolCallWithoutIndex |= !fragment.has("index") && fragment instanceof ObjectNode;
                }
            }
        }
        JsonNode error = chunk.get("error");
        Json.StringAt modelAt;
        try {
            modelAt = Json.findString(bytes, "model");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Relay(error != null && !error.isNull(), Json.text(chunk, "model"), modelAt, ChatWire.usage(chunk.get("usage")),
                choices, toolCallWithoutIndex);
    }
}
