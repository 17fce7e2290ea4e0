package io.llmgw.core.dialect.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.relay.StreamEncoder;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.StopReason;
import io.llmgw.core.model.StreamEvent;
import io.llmgw.core.model.Usage;
import io.llmgw.core.protocol.anthropic.GatewaySignatures;
import io.llmgw.core.protocol.openai.ResponsesWire;
import io.llmgw.core.stream.SseFrames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a canonical event stream as Responses events (docs/protocol-mapping.md#responses-stream):
 * {@code response.created} and {@code response.in_progress}, then items in the order they
 * open — reasoning, message, function or custom tool calls — each announced by
 * {@code output_item.added} and finished by {@code output_item.done} (the only way Codex takes
 * items into its history), then one terminal event carrying every item in full and all five
 * usage counts, then {@code data: [DONE]}. A length cut ends {@code response.incomplete}
 * (reason {@code max_output_tokens}), a content filter likewise (reason {@code content_filter}),
 * an upstream failure {@code response.failed}; items still open are closed first, incomplete.
 *
 * <p>Reasoning and text each close when anything else starts; tool calls stay open until the
 * model moves on to text or reasoning or the response ends, since some upstreams interleave the
 * argument fragments of parallel calls.
 */
public final class ResponsesStreamEncoder implements StreamEncoder {
    /** Created on first use: a static logger would start the logging back end while the gateway is built (cold start). */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(ResponsesStreamEncoder.class);
    }

    private final ResponseEnvelope envelope;
    private final EventWriter events;
    private final List<OutputItem> items = new ArrayList<>();
    private final Map<Integer, OutputItem.Call> openCalls = new LinkedHashMap<>();
    private OutputItem.Reasoning reasoning;
    private OutputItem.Message message;
    private StopReason stopReason;
    private Usage usage;
    private boolean started;
    private ObjectNode finalResponse;

    /** @param sink where each frame goes; null to build only the final response object (non-streamed answers) */
    ResponsesStreamEncoder(ResponseEnvelope envelope, Consumer<byte[]> sink) {
        this.envelope = envelope;
        this.events = new EventWriter(sink);
    }

    /**
     * An encoder for the answer to the Responses request {@code body} (its parameters and tools
     * are echoed in the response object), as the client asked for {@code model}.
     */
    public static ResponsesStreamEncoder forRequest(ObjectNode body, String model, Consumer<byte[]> sink) {
        JsonNode tools = body.get("tools");
        return new ResponsesStreamEncoder(new ResponseEnvelope(body, model,
                tools instanceof ArrayNode array ? array : Json.NODES.arrayNode()), sink);
    }

    @Override
    public void onEvent(StreamEvent event) {
        if (finalResponse != null) {
            return;
        }
        start();
        switch (event) {
            case StreamEvent.TextDelta text -> {
                closeReasoning();
                closeCalls();
                if (message == null) {
                    message = add(new OutputItem.Message(events, items.size()));
                }
                message.delta(events, text.text());
            }
            case StreamEvent.ReasoningDelta delta -> openReasoning().delta(events, delta.text());
            // A signature with no reasoning text before it (Anthropic's newest models omit the text by
            // default) still needs an item: without its signature the thinking cannot be replayed.
            case StreamEvent.ReasoningSignature signature -> openReasoning().encrypted(signature.signature());
            case StreamEvent.RedactedReasoning redacted -> {
                closeReasoning();  // its own item, never merged into reasoning that has text
                openReasoning().encrypted(GatewaySignatures.redacted(redacted.data()));
                closeReasoning();
            }
            case StreamEvent.ToolCallStarted call -> {
                closeReasoning();
                closeMessage();
                openCalls.put(call.slot(), add(new OutputItem.Call(events, items.size(), call.id(), call.name(), call.custom())));
            }
            case StreamEvent.ToolCallDelta delta -> {
                OutputItem.Call call = openCalls.get(delta.slot());
                if (call != null) {
                    call.delta(events, delta.arguments());
                } else {
                    Log.LOG.warn("arguments for tool call slot {} arrived after the call was closed; dropped", delta.slot());
                }
            }
            case StreamEvent.Finished finished -> stopReason = finished.reason();
            case StreamEvent.UsageReported reported -> usage = reported.usage();
            case StreamEvent.Started ignored -> { }
        }
    }

    @Override
    public void onComplete() {
        if (finalResponse != null) {
            return;
        }
        start();
        String incomplete = switch (stopReason == null ? StopReason.END_TURN : stopReason) {
            case MAX_TOKENS, CONTEXT_WINDOW_EXCEEDED -> "max_output_tokens";
            case CONTENT_FILTER -> "content_filter";
            default -> null;
        };
        closeAll(incomplete == null ? "completed" : "incomplete");
        ObjectNode response = terminalResponse(incomplete == null ? "completed" : "incomplete");
        if (incomplete != null) {
            response.putObject("incomplete_details").put("reason", incomplete);
        }
        end(incomplete == null ? ResponsesWire.COMPLETED : ResponsesWire.INCOMPLETE, response);
    }

    @Override
    public void onError(GatewayError error) {
        if (finalResponse != null) {
            return;
        }
        start();
        closeAll("incomplete");
        end(ResponsesWire.FAILED, ResponsesWire.failed(terminalResponse("failed"), error));
    }

    @Override
    public byte[] keepAliveFrame() {
        return SseFrames.KEEP_ALIVE;
    }

    /** The response object of the terminal event, once the stream has ended. */
    ObjectNode finalResponse() {
        return finalResponse;
    }

    private void start() {
        if (!started) {
            started = true;
            events.lifecycle(ResponsesWire.CREATED, envelope.render("in_progress"));
            events.lifecycle(ResponsesWire.IN_PROGRESS, envelope.render("in_progress"));
        }
    }

    private OutputItem.Reasoning openReasoning() {
        closeMessage();
        closeCalls();
        if (reasoning == null) {
            reasoning = add(new OutputItem.Reasoning(events, items.size()));
        }
        return reasoning;
    }

    private <T extends OutputItem> T add(T item) {
        items.add(item);
        return item;
    }

    private void closeReasoning() {
        if (reasoning != null) {
            reasoning.close(events, "completed");
            reasoning = null;
        }
    }

    private void closeMessage() {
        if (message != null) {
            message.close(events, "completed");
            message = null;
        }
    }

    private void closeCalls() {
        openCalls.values().forEach(call -> call.close(events, "completed"));
        openCalls.clear();
    }

    /** Closes whatever is still open, in output order. */
    private void closeAll(String status) {
        for (OutputItem item : items) {
            item.close(events, status);
        }
        reasoning = null;
        message = null;
        openCalls.clear();
    }

    private ObjectNode terminalResponse(String status) {
        ObjectNode response = envelope.render(status);
        ArrayNode output = response.putArray("output");
        items.forEach(item -> output.add(item.done()));
        response.set("usage", ResponsesWire.usage(usage));
        return response;
    }

    private void end(String type, ObjectNode response) {
        envelope.finished(response);
        finalResponse = response;
        events.lifecycle(type, response);
        events.done();
    }
}
