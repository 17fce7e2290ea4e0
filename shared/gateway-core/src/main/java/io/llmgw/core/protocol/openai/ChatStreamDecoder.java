package io.llmgw.core.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.json.Json;
import io.llmgw.core.protocol.UpstreamEvents;
import io.llmgw.core.model.Ids;
import io.llmgw.core.model.StreamEvent;
import io.llmgw.core.model.Usage;
import io.llmgw.core.protocol.ToolNames;
import io.llmgw.core.spi.AbstractStreamDecoder;
import io.llmgw.core.spi.Progress;
import io.llmgw.core.stream.SseEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads a Chat Completions chunk stream into canonical events, absorbing what real servers do:
 * Azure's empty-choices and content-filter chunks, tool-call fragments without {@code index}
 * (Gemini), an index reused for a second call with a new id, the name repeated on every fragment,
 * whole arguments in one fragment, content and {@code finish_reason} in one chunk, usage in the
 * finish chunk or its own chunk or on every chunk. Within a chunk, reasoning comes before text,
 * text before tool calls, and all of them before the finish.
 */
public final class ChatStreamDecoder extends AbstractStreamDecoder {
    private final ToolNames names;
    private final Set<String> customTools;
    private final List<String> stopSequences;
    private final Map<Integer, Integer> slotByIndex = new HashMap<>();
    private final List<String> slotIds = new ArrayList<>();
    private boolean startReported;

    /** @param customTools client names of custom (free-form) tools, whose calls are flagged as such */
    public ChatStreamDecoder(ToolNames names, Set<String> customTools) {
        this(names, customTools, List.of());
    }

    /** @param stopSequences the request's stop sequences, which the server may say ended the text */
    public ChatStreamDecoder(ToolNames names, Set<String> customTools, List<String> stopSequences) {
        super(OpenAiErrors::beforeStream);
        this.names = names;
        this.customTools = customTools;
        this.stopSequences = stopSequences;
    }

    @Override
    public Progress decode(SseEvent event, Consumer<StreamEvent> out) {
        if (event.isDone()) {
            return Progress.FINISHED;
        }
        JsonNode chunk = UpstreamEvents.object(event);
        GatewayError error = OpenAiErrors.inChunk(chunk);
        if (error != null) {
            return fail(error);
        }
        String id = Json.text(chunk, "id");
        if (!startReported && id != null && !id.isEmpty()) {
            startReported = true;
            out.accept(new StreamEvent.Started(id, Json.text(chunk, "model")));
        }
        JsonNode choices = chunk.get("choices");
        if (choices != null && choices.isArray()) {
            for (JsonNode choice : choices) {
                if (choice.path("index").asInt(0) == 0) {
                    decodeChoice(choice, out);
                }
            }
        }
        Usage usage = ChatWire.usage(chunk.get("usage"));
        if (usage != null) {
            out.accept(new StreamEvent.UsageReported(usage));
        }
        return Progress.CONTINUE;
    }

    private void decodeChoice(JsonNode choice, Consumer<StreamEvent> out) {
        JsonNode delta = choice.get("delta");
        if (delta != null && delta.isObject()) {
            String reasoning = ChatWire.reasoning(delta);
            if (reasoning != null && !reasoning.isEmpty()) {
                out.accept(new StreamEvent.ReasoningDelta(reasoning));
            }
            JsonNode content = delta.get("content");
            if (content != null && content.isTextual() && !content.textValue().isEmpty()) {
                out.accept(new StreamEvent.TextDelta(content.textValue()));
            }
            JsonNode toolCalls = delta.get("tool_calls");
            if (toolCalls != null && toolCalls.isArray()) {
                toolCalls.forEach(fragment -> toolFragment(fragment, out));
            }
        }
        JsonNode finish = choice.get("finish_reason");
        if (finish != null && finish.isTextual()) {
            finish(ChatWire.finish(choice, finish.textValue(), !slotIds.isEmpty(), stopSequences), out);
        }
    }

    private void toolFragment(JsonNode fragment, Consumer<StreamEvent> out) {
        String id = Json.text(fragment, "id");
        boolean hasId = id != null && !id.isEmpty();
        JsonNode index = fragment.get("index");
        Integer slot;
        if (index != null && index.isInt()) {
            slot = slotByIndex.get(index.intValue());
            if (slot != null && hasId && !id.equals(slotIds.get(slot))) {
                slot = null;  // the same index reused for a second call
            }
        } else {
            int last = slotIds.size() - 1;
            slot = last >= 0 && (!hasId || id.equals(slotIds.get(last))) ? last : null;
        }
        JsonNode function = fragment.path("function");
        if (slot == null) {
            slot = slotIds.size();
            String callId = hasId ? id : Ids.random("call_");
            slotIds.add(callId);
            if (index != null && index.isInt()) {
                slotByIndex.put(index.intValue(), slot);
            }
            String name = names.client(Json.text(function, "name") == null ? "" : Json.text(function, "name"));
            String signature = Json.text(fragment.path("extra_content").path("google"), "thought_signature");
            out.accept(new StreamEvent.ToolCallStarted(slot, callId, name, customTools.contains(name), signature));
        }
        String arguments = Json.text(function, "arguments");
        if (arguments != null && !arguments.isEmpty()) {
            out.accept(new StreamEvent.ToolCallDelta(slot, arguments));
        }
    }
}
