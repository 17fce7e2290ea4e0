package io.llmgw.core.dialect.openai.responses;

import io.llmgw.core.model.Usage;

import io.llmgw.core.spi.Progress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.dialect.RequestedModel;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.json.Json;
import io.llmgw.core.protocol.UpstreamEvents;
import io.llmgw.core.model.Ids;
import io.llmgw.core.protocol.openai.OpenAiErrors;
import io.llmgw.core.protocol.openai.ResponsesEventHead;
import io.llmgw.core.protocol.openai.ResponsesWire;
import io.llmgw.core.relay.StreamTranslator;
import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.stream.SseFrames;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.web.ClientResponse;

/**
 * Relays a native Responses stream (an upstream configured {@code responses: native}) event by
 * event, payloads and sequence numbers untouched but for the response's {@code model}, which names
 * the model the client asked for ({@link RequestedModel}). What the gateway adds: the {@code event:} line
 * when an upstream sent data only, {@code data: [DONE]} after the terminal event, and — when the
 * upstream dies or its stream ends without a terminal event — a {@code response.failed} numbered
 * after the last event relayed (carrying the error of an {@code error} event the upstream sent
 * before stopping, if any), so the client never sees a silent end (docs/protocol-mapping.md#responses-passthrough).
 */
final class ResponsesPassthroughStream implements StreamTranslator {
    private final RequestedModel requested;
    private final RequestContext ctx;
    private final ArrayNode doneItems = Json.NODES.arrayNode();
    private ObjectNode response;
    private final ResponsesEventHead head = new ResponsesEventHead();
    private int lastSequence = -1;
    private GatewayError reported;

    ResponsesPassthroughStream(RequestedModel requested, RequestContext ctx) {
        this.requested = requested;
        this.ctx = ctx;
    }

    /** Besides what any OpenAI stream's first event may say, a Responses stream may open with an {@code error} event. */
    @Override
    public GatewayError errorBeforeStart(SseEvent first) {
        GatewayError error = OpenAiErrors.beforeStream(first);
        if (error != null) {
            return error;
        }
        // a JSON object, beforeStream has found: its type read with the head scanner, a tree only for an error event
        head.read(first.data());
        String type = first.type(head.type());
        return ResponsesWire.ERROR.equals(type) ? OpenAiErrors.fromStreamError(UpstreamEvents.object(first)) : null;
    }

    @Override
    public Progress onEvent(SseEvent event, ClientResponse out) {
        if (event.isDone()) {
            return onEnd(out);
        }
        // Most events are deltas the relay passes on as they came, needing only the top level's type and
        // sequence number: one streaming scan reads those. The JSON tree is built only for the events the
        // relay keeps something of or acts on — a response (its model renamed, kept for a response.failed),
        // a done output item, an error, the terminal event (its usage).
        if (!head.read(event.data())) {
            onFailure(UpstreamEvents.malformed(), out);
            return Progress.FAILED;
        }
        String type = event.type(head.type());
        lastSequence = Math.max(lastSequence, head.sequenceNumber(lastSequence + 1));
        boolean needsTree = head.hasResponseObject() || "response.output_item.done".equals(type) && head.hasItemObject()
                || ResponsesWire.ERROR.equals(type) || ResponsesWire.isTerminal(type);
        if (!needsTree) {
            out.write(SseFrames.relayed(type == null ? "message" : type, event.data()));
            return Progress.CONTINUE;
        }
        JsonNode json = UpstreamEvents.object(event);
        byte[] data = event.data();
        if (json.path("response").isObject()) {
            response = (ObjectNode) json.get("response");
            data = requested.in(data, json.path("response").get("model"), "response", "model");
            if (response.path("model").isTextual()) {
                response.put("model", requested.name());  // for a response.failed written from it later
            }
        }
        if ("response.output_item.done".equals(type) && json.path("item").isObject()) {
            doneItems.add(json.get("item"));
        }
        out.write(SseFrames.relayed(type == null ? "message" : type, data));
        if (ResponsesWire.ERROR.equals(type)) {
            reported = OpenAiErrors.fromStreamError(json);  // the response.failed to write if the upstream stops here
        }
        if (!ResponsesWire.isTerminal(type)) {
            return Progress.CONTINUE;
        }
        Usage usage = ResponsesWire.readUsage(json.path("response").get("usage"));
        if (usage != null) {
            ctx.usage(usage);
        }
        out.write(SseFrames.DONE);
        return ResponsesWire.FAILED.equals(type) ? Progress.FAILED : Progress.FINISHED;
    }

    @Override
    public Progress onEnd(ClientResponse out) {
        onFailure(reported != null ? reported : UpstreamEvents.truncated(), out);
        return Progress.FAILED;
    }

    @Override
    public void onFailure(GatewayError error, ClientResponse out) {
        ObjectNode failed = response != null ? response.deepCopy() : Json.object().put("id", Ids.random("resp_")).put("object", "response");
        failed.set("output", doneItems);
        out.write(ResponsesWire.lifecycleFrame(ResponsesWire.FAILED, ++lastSequence, ResponsesWire.failed(failed, error)));
        out.write(SseFrames.DONE);
    }

    @Override
    public byte[] keepAliveFrame() {
        return SseFrames.KEEP_ALIVE;
    }
}
