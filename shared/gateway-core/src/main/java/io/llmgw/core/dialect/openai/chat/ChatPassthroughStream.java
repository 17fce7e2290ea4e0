package io.llmgw.core.dialect.openai.chat;

import io.llmgw.core.spi.Progress;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.dialect.PassthroughStream;
import io.llmgw.core.dialect.RequestedModel;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Usage;
import io.llmgw.core.protocol.UpstreamEvents;
import io.llmgw.core.protocol.openai.ChatWire;
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

    ChatPassthroughStream(boolean clientWantsUsage, RequestedModel requested, RequestContext ctx) {
        super(OpenAiErrors::beforeStream, OpenAiErrors.INSTANCE, SseFrames.KEEP_ALIVE);
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
        JsonNode chunk = UpstreamEvents.object(event);
        GatewayError error = OpenAiErrors.inChunk(chunk);
        if (error != null) {
            return fail(error, out);
        }
        JsonNode usage = chunk.get("usage");
        Usage reported = ChatWire.usage(usage);
        if (reported != null) {
            ctx.usage(reported);
        }
        JsonNode choices = chunk.get("choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            // Usage chunk, or Azure's prompt-filter chunk with nothing for the client.
            if (reported != null && clientWantsUsage) {
                out.write(SseFrames.data(requested.in(event.data(), chunk.get("model"), "model")));
            }
            return Progress.CONTINUE;
        }
        if (!carriesSomething(choices)) {
            return Progress.CONTINUE;
        }
        out.write(SseFrames.data(requested.in(repairToolCallIndexes(choices) ? Json.bytes(chunk) : event.data(), chunk.get("model"),
                "model")));
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
    private boolean repairToolCallIndexes(JsonNode choices) {
        boolean changed = false;
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
                changed = true;
            }
        }
        return changed;
    }

    /** True when some choice has a delta with content, or a finish reason. */
    private boolean carriesSomething(JsonNode choices) {
        boolean something = false;
        for (JsonNode choice : choices) {
            JsonNode finish = choice.get("finish_reason");
            if (finish != null && !finish.isNull()) {
                finishSeen = true;
                something = true;
            }
            JsonNode delta = choice.get("delta");
            if (delta != null && delta.isObject()) {
                for (JsonNode value : delta) {
                    something |= !value.isNull();
                }
            }
            if (choice.has("logprobs") && !choice.get("logprobs").isNull()) {
                something = true;
            }
        }
        return something;
    }
}
