package io.llmgw.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.StopReason;
import io.llmgw.core.model.StreamEvent;
import io.llmgw.core.protocol.ToolNames;
import io.llmgw.core.protocol.UpstreamEvents;
import io.llmgw.core.spi.Progress;
import io.llmgw.core.spi.AbstractStreamDecoder;
import io.llmgw.core.stream.SseEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads ConverseStream's events ({@link EventStreamDecoder}) into canonical events: {@code messageStart} starts the
 * answer; {@code contentBlockStart} opens a tool call (slots 0, 1, 2… in start order), whose
 * {@code contentBlockDelta}s carry its input; text and reasoning deltas (text, signature, redacted content) need no
 * start; {@code messageStop} gives the stop reason (and Claude's matched stop sequence), {@code metadata} the usage,
 * after which the stream is over (an end without the usage loses nothing but the count). An exception frame fails the
 * stream — before the first event, as a plain HTTP error.
 */
final class ConverseStreamDecoder extends AbstractStreamDecoder {
    /** One open tool call, by its content block index. */
    private static final class Call {
        final int slot;
        boolean sawInput;

        Call(int slot) {
            this.slot = slot;
        }
    }

    private final String model;
    private final ToolNames names;
    private final Set<String> customTools;
    private final List<String> stops;
    private final Map<Integer, Call> calls = new HashMap<>();
    private int nextSlot;

    ConverseStreamDecoder(String model, ToolNames names, Set<String> customTools, List<String> stops) {
        super(ConverseStreamDecoder::errorInFirst);
        this.model = model;
        this.names = names;
        this.customTools = customTools;
        this.stops = stops;
    }

    /** An exception frame, or a first frame that is not a JSON object. */
    private static GatewayError errorInFirst(SseEvent first) {
        if (failed(first)) {
            return failure(first);
        }
        return UpstreamEvents.object(first) == null ? UpstreamEvents.malformed() : null;
    }

    @Override
    public Progress decode(SseEvent event, Consumer<StreamEvent> out) {
        if (failed(event)) {
            return fail(failure(event));
        }
        JsonNode data = UpstreamEvents.object(event);
        if (data == null) {
            return fail(UpstreamEvents.malformed());
        }
        switch (event.event() == null ? "" : event.event()) {
            case "messageStart" -> out.accept(new StreamEvent.Started(null, model));
            case "contentBlockStart" -> start(data.path("contentBlockIndex").asInt(), data.path("start"), out);
            case "contentBlockDelta" -> delta(data.path("contentBlockIndex").asInt(), data.path("delta"), out);
            case "contentBlockStop" -> {
                Call call = calls.remove(data.path("contentBlockIndex").asInt());
                if (call != null && !call.sawInput) {
                    out.accept(new StreamEvent.ToolCallDelta(call.slot, "{}"));  // a call without arguments
                }
            }
            case "messageStop" -> {
                StopReason reason = ConverseOutcome.stopReason(Json.text(data, "stopReason"));
                finish(new StreamEvent.Finished(reason, ConverseOutcome.stopSequence(reason, data.get("additionalModelResponseFields"), stops)),
                        out);
            }
            case "metadata" -> {
                out.accept(new StreamEvent.UsageReported(ConverseOutcome.usage(data.get("usage"))));
                if (finished()) {
                    return Progress.FINISHED;
                }
            }
            default -> {
                // event types newer than this gateway
            }
        }
        return Progress.CONTINUE;
    }

    private void start(int index, JsonNode start, Consumer<StreamEvent> out) {
        JsonNode use = start.get("toolUse");
        if (use == null) {
            return;  // other block kinds start with their first delta
        }
        Call call = new Call(nextSlot++);
        calls.put(index, call);
        String name = names.client(use.path("name").asText());
        out.accept(new StreamEvent.ToolCallStarted(call.slot, Json.text(use, "toolUseId"), name, customTools.contains(name), null));
    }

    private void delta(int index, JsonNode delta, Consumer<StreamEvent> out) {
        String text = Json.text(delta, "text");
        if (text != null) {
            if (!text.isEmpty()) {
                out.accept(new StreamEvent.TextDelta(text));
            }
            return;
        }
        JsonNode use = delta.get("toolUse");
        Call call = calls.get(index);
        if (use != null && call != null) {
            String input = Json.text(use, "input");
            if (input != null && !input.isEmpty()) {
                call.sawInput = true;
                out.accept(new StreamEvent.ToolCallDelta(call.slot, input));
            }
            return;
        }
        JsonNode reasoning = delta.get("reasoningContent");
        if (reasoning != null) {
            String thought = Json.text(reasoning, "text");
            String signature = Json.text(reasoning, "signature");
            String redacted = Json.text(reasoning, "redactedContent");
            if (thought != null && !thought.isEmpty()) {
                out.accept(new StreamEvent.ReasoningDelta(thought));
            } else if (signature != null && !signature.isEmpty()) {
                out.accept(new StreamEvent.ReasoningSignature(signature));
            } else if (redacted != null) {
                out.accept(new StreamEvent.RedactedReasoning(redacted));
            }
        }
    }

    private static boolean failed(SseEvent event) {
        String name = event.event();
        return name != null && (name.startsWith(EventStreamDecoder.EXCEPTION) || name.startsWith(EventStreamDecoder.ERROR));
    }

    private static GatewayError failure(SseEvent event) {
        String name = event.event();
        return BedrockErrors.fromFrame(name.substring(name.indexOf(':') + 1), event.data());
    }
}
