package io.llmgw.core.dialect.openai.chat;

import io.llmgw.core.spi.Progress;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.dialect.PassthroughStream;
import io.llmgw.core.dialect.RequestedModel;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Usage;
import io.llmgw.core.protocol.UpstreamEvents;
import io.llmgw.core.protocol.openai.ChatChunk;
import io.llmgw.core.protocol.openai.ChatChunkChoice;
import io.llmgw.core.protocol.openai.OpenAiErrors;
import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.stream.SseFrames;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.web.ClientResponse;

/**
 * Relays a chat-completions stream to a chat-completions client, chunk bytes unchanged, except:
 * {@code model} names the model the client asked for ({@link RequestedModel});
 * chunks that carry nothing a client can use are dropped (Azure's first chunk with empty
 * {@code choices} and {@code prompt_filter_results}, content-filter-only chunks); the usage chunk
 * the gateway asked for is passed on only if the client asked for it too; an upstream error
 * object or a stream cut before its end becomes an error event, never a silent clean end.
 */
final class ChatPassthroughStream extends PassthroughStream {
    private final boolean clientWantsUsage;
    private final RequestedModel requested;
    private final RequestContext ctx;
    private boolean finishSeen;
    private final java.util.List<String> toolSlots = new java.util.ArrayList<>();
    private final ChatChunk chunk;

    ChatPassthroughStream(boolean clientWantsUsage, RequestedModel requested, RequestContext ctx) {
        this(ChatChunk.forRelay(), clientWantsUsage, requested, ctx);
    }

    /** The first event's error check reads it with the relay's own scanner, whose readings its relaying then takes. */
    private ChatPassthroughStream(ChatChunk chunk, boolean clientWantsUsage, RequestedModel requested, RequestContext ctx) {
        super(first -> OpenAiErrors.beforeStream(first, chunk), OpenAiErrors.INSTANCE, SseFrames.KEEP_ALIVE);
        this.chunk = chunk;
        this.clientWantsUsage = clientWantsUsage;
        this.requested = requested;
        this.ctx = ctx;
    }

    @Override
    public Progress onEvent(SseEvent event, ClientResponse out) {
        if (event.isDone()) {
            out.write(SseFrames.DONE);
            return Progress.FINISHED;
        }
        byte[] data = event.data();
        if (!chunk.holds(data) && !chunk.read(data)) {
            return fail(UpstreamEvents.malformed(), out);
        }
        if (chunk.hasError()) {
            // Once per stream at most: the error object is read from a tree, as everywhere else.
            return fail(OpenAiErrors.inChunk(UpstreamEvents.object(event)), out);
        }
        Usage reported = chunk.usage();
        if (reported != null) {
            ctx.usage(reported);
        }
        if (chunk.choiceCount() == 0) {
            // Usage chunk, or Azure's prompt-filter chunk with nothing for the client.
            if (reported != null && clientWantsUsage) {
                out.write(requested.dataFrame(data, chunk.model(), chunk.modelAt()));
            }
            return Progress.CONTINUE;
        }
        if (!carriesSomething()) {
            return Progress.CONTINUE;
        }
        if (chunk.hasToolCallWithoutIndex()) {
            // Gemini's tool-call chunks, a few per stream: numbering the calls rewrites the chunk, done on its tree.
            JsonNode tree = UpstreamEvents.object(event);
            repairToolCallIndexes(tree.get("choices"));
            out.write(SseFrames.data(requested.in(Json.bytes(tree), tree.get("model"), "model")));
            return Progress.CONTINUE;
        }
        out.write(requested.dataFrame(data, chunk.model(), chunk.modelAt()));
        return Progress.CONTINUE;
    }

    @Override
    public Progress onEnd(ClientResponse out) {
        if (finishSeen) {
            // Some OpenAI-compatible servers omit [DONE]; the content itself was complete.
            out.write(SseFrames.DONE);
            return Progress.FINISHED;
        }
        return super.onEnd(out);
    }

    /**
     * Gives index-less tool-call fragments (Gemini) the slot OpenAI's own stream would have: a new
     * id opens the next slot, a fragment without id continues the last one. Strict client parsers
     * (openai-python's stream state, the AI SDK) fail or merge calls without it.
     */
    private void repairToolCallIndexes(JsonNode choices) {
        for (JsonNode choice : choices) {
            for (JsonNode fragment : choice.path("delta").path("tool_calls")) {
                if (fragment.has("index") || !(fragment instanceof com.fasterxml.jackson.databind.node.ObjectNode node)) {
                    continue;
                }
                String id = Json.text(fragment, "id");
                // Without an id: the last slot, or (-1) none yet, so the fragment opens the first.
                int slot = id == null || id.isEmpty() ? toolSlots.size() - 1 : toolSlots.indexOf(id);
                if (slot < 0) {
                    toolSlots.add(id == null ? "" : id);
                    slot = toolSlots.size() - 1;
                }
                node.put("index", slot);
            }
        }
    }

    /** True when some choice has a delta with content, or a finish reason, or log probabilities. */
    private boolean carriesSomething() {
        boolean something = false;
        for (int i = 0; i < chunk.choiceCount(); i++) {
            ChatChunkChoice choice = chunk.choice(i);
            if (choice.hasFinishReason()) {
                finishSeen = true;
                something = true;
            }
            something |= choice.deltaCarriesSomething() || choice.hasLogprobs();
        }
        return something;
    }
}
