package io.llmgw.core.protocol.openai;

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
    private final ChatChunk chunk = ChatChunk.forDecoding();
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
        if (!chunk.read(event.data())) {
            return fail(UpstreamEvents.malformed());
        }
        if (chunk.hasError()) {
            // Once per stream at most: the error object is read from a tree, as everywhere else.
            return fail(OpenAiErrors.inChunk(UpstreamEvents.object(event)));
        }
        String id = chunk.id();
        if (!startReported && id != null && !id.isEmpty()) {
            startReported = true;
            out.accept(new StreamEvent.Started(id, chunk.model()));
        }
        for (int i = 0; i < chunk.choiceCount(); i++) {
            ChatChunkChoice choice = chunk.choice(i);
            if (choice.index() == 0) {
                decodeChoice(choice, out);
            }
        }
        Usage usage = chunk.usage();
        if (usage != null) {
            out.accept(new StreamEvent.UsageReported(usage));
        }
        return Progress.CONTINUE;
    }

    private void decodeChoice(ChatChunkChoice choice, Consumer<StreamEvent> out) {
        String reasoning = choice.reasoning();
        if (reasoning != null && !reasoning.isEmpty()) {
            out.accept(new StreamEvent.ReasoningDelta(reasoning));
        }
        String content = choice.content();
        if (content != null && !content.isEmpty()) {
            out.accept(new StreamEvent.TextDelta(content));
        }
        for (int i = 0; i < choice.toolCallCount(); i++) {
            toolFragment(choice.toolCall(i), out);
        }
        if (choice.finishReason() != null) {
            finish(ChatWire.finish(choice.finishReason(), !slotIds.isEmpty(), stopSequences, choice.stopReason(), choice.matchedStop()),
                    out);
        }
    }

    private void toolFragment(ChatToolCallFragment fragment, Consumer<StreamEvent> out) {
        String id = fragment.id();
        boolean hasId = id != null && !id.isEmpty();
        Integer slot;
        if (fragment.hasIntIndex()) {
            slot = slotByIndex.get(fragment.index());
            if (slot != null && hasId && !id.equals(slotIds.get(slot))) {
                slot = null;  // the same index reused for a second call
            }
        } else {
            int last = slotIds.size() - 1;
            slot = last >= 0 && (!hasId || id.equals(slotIds.get(last))) ? last : null;
        }
        if (slot == null) {
            slot = slotIds.size();
            String callId = hasId ? id : Ids.random("call_");
            slotIds.add(callId);
            if (fragment.hasIntIndex()) {
                slotByIndex.put(fragment.index(), slot);
            }
            String name = names.client(fragment.name() == null ? "" : fragment.name());
            out.accept(new StreamEvent.ToolCallStarted(slot, callId, name, customTools.contains(name), fragment.thoughtSignature()));
        }
        String arguments = fragment.arguments();
        if (arguments != null && !arguments.isEmpty()) {
            out.accept(new StreamEvent.ToolCallDelta(slot, arguments));
        }
    }
}
