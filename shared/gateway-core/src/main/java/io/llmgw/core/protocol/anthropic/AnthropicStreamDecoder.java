package io.llmgw.core.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.StreamEvent;
import io.llmgw.core.model.Usage;
import io.llmgw.core.protocol.ToolNames;
import io.llmgw.core.protocol.UpstreamEvents;
import io.llmgw.core.spi.AbstractStreamDecoder;
import io.llmgw.core.spi.Progress;
import io.llmgw.core.stream.SseEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads Anthropic's Messages stream (docs/protocol-mapping.md#upstream-anthropic-stream) into canonical events: text, thinking
 * (its signature as {@link StreamEvent.ReasoningSignature}), redacted thinking, tool_use blocks as
 * tool-call slots 0, 1, 2… (counting tool blocks only, not block indices) fed by their
 * {@code input_json_delta}s, the stop reason and usage of {@code message_delta}, and {@code error}
 * events. Blocks the client could not continue (server tool calls and their results) and
 * {@code citations_delta} are skipped; {@code ping} is nothing.
 */
public final class AnthropicStreamDecoder extends AbstractStreamDecoder {
    private enum Kind { TEXT, THINKING, TOOL, SKIPPED }

    /** One open content block, by the upstream's index. */
    private static final class Open {
        final Kind kind;
        final int slot;
        String startInput;
        boolean sawDelta;

        Open(Kind kind, int slot) {
            this.kind = kind;
            this.slot = slot;
        }
    }

    private final ToolNames names;
    private final Set<String> customTools;
    private final AnthropicEventScan scan = new AnthropicEventScan();
    private final Map<Integer, Open> blocks = new HashMap<>();
    private int nextSlot;
    private Usage usage = Usage.NONE;
    private boolean usageReported;

    public AnthropicStreamDecoder(ToolNames names, Set<String> customTools) {
        super(AnthropicUpstreamErrors::beforeStream);
        this.names = names;
        this.customTools = customTools;
    }

    @Override
    public Progress decode(SseEvent event, Consumer<StreamEvent> out) {
        // Most events are content_block_delta (and a content_block_stop per block): what the decoder reads of
        // them comes from one streaming scan. Only the few events it reads more of (message_start,
        // content_block_start, message_delta, error) are parsed into a JSON tree as well.
        if (!scan.read(event.data())) {
            return fail(UpstreamEvents.malformed());
        }
        String type = event.type(scan.type());
        switch (type == null ? "" : type) {
            case "content_block_delta" -> delta(blocks.get(scan.index()), out);
            case "content_block_stop" -> stop(blocks.remove(scan.index()), out);
            case "message_start" -> {
                JsonNode message = UpstreamEvents.object(event).path("message");
                out.accept(new StreamEvent.Started(Json.text(message, "id"), Json.text(message, "model")));
                usage = AnthropicUsage.update(usage, message.get("usage"));
            }
            case "content_block_start" -> start(scan.index(), UpstreamEvents.object(event).path("content_block"), out);
            case "message_delta" -> {
                JsonNode data = UpstreamEvents.object(event);
                JsonNode delta = data.path("delta");
                String reason = Json.text(delta, "stop_reason");
                if (reason != null) {
                    finish(new StreamEvent.Finished(AnthropicStopReasons.parse(reason), Json.text(delta, "stop_sequence")), out);
                }
                usage = AnthropicUsage.update(usage, data.get("usage"));
                reportUsage(out);
            }
            case "message_stop" -> {
                if (!usageReported && usage != Usage.NONE) {
                    reportUsage(out);
                }
                return Progress.FINISHED;
            }
            case AnthropicUpstreamErrors.ERROR_EVENT -> {
                return fail(AnthropicUpstreamErrors.fromEvent(UpstreamEvents.object(event)));
            }
            default -> {
                // ping, and event types newer than this gateway
            }
        }
        return Progress.CONTINUE;
    }

    private void start(int index, JsonNode block, Consumer<StreamEvent> out) {
        switch (block.path("type").asText()) {
            case "text" -> {
                blocks.put(index, new Open(Kind.TEXT, -1));
                emitText(Json.text(block, "text"), out);
            }
            case "thinking" -> {
                blocks.put(index, new Open(Kind.THINKING, -1));
                emitReasoning(Json.text(block, "thinking"), out);
                String signature = Json.text(block, "signature");
                if (signature != null && !signature.isEmpty()) {
                    out.accept(new StreamEvent.ReasoningSignature(signature));
                }
            }
            case "redacted_thinking" -> {
                blocks.put(index, new Open(Kind.SKIPPED, -1));
                out.accept(new StreamEvent.RedactedReasoning(block.path("data").asText()));
            }
            case "tool_use" -> {
                Open open = new Open(Kind.TOOL, nextSlot++);
                blocks.put(index, open);
                String name = names.client(block.path("name").asText());
                out.accept(new StreamEvent.ToolCallStarted(open.slot, Json.text(block, "id"), name, customTools.contains(name), null));
                JsonNode input = block.get("input");
                // Anthropic starts with {} and streams the input; a server that gives it here gets it sent at the stop
                open.startInput = input != null && input.isObject() && !input.isEmpty() ? Json.string(input) : null;
            }
            default -> blocks.put(index, new Open(Kind.SKIPPED, -1));
        }
    }

    private void delta(Open block, Consumer<StreamEvent> out) {
        if (block == null) {
            return;  // a delta without its start: nothing it could be added to
        }
        switch (scan.deltaType() == null ? "" : scan.deltaType()) {
            case "text_delta" -> {
                if (block.kind == Kind.TEXT) {
                    emitText(scan.text(), out);
                }
            }
            case "thinking_delta" -> {
                if (block.kind == Kind.THINKING) {
                    emitReasoning(scan.thinking(), out);
                }
            }
            case "signature_delta" -> {
                String signature = scan.signature();
                if (block.kind == Kind.THINKING && signature != null && !signature.isEmpty()) {
                    out.accept(new StreamEvent.ReasoningSignature(signature));
                }
            }
            case "input_json_delta" -> {
                String fragment = scan.partialJson();
                if (block.kind == Kind.TOOL && fragment != null && !fragment.isEmpty()) {
                    block.sawDelta = true;
                    out.accept(new StreamEvent.ToolCallDelta(block.slot, fragment));
                }
            }
            default -> {
                // citations_delta and newer delta types
            }
        }
    }

    private void stop(Open block, Consumer<StreamEvent> out) {
        if (block != null && block.kind == Kind.TOOL && !block.sawDelta && block.startInput != null) {
            out.accept(new StreamEvent.ToolCallDelta(block.slot, block.startInput));
        }
    }

    private void reportUsage(Consumer<StreamEvent> out) {
        usageReported = true;
        out.accept(new StreamEvent.UsageReported(usage));
    }

    private static void emitText(String text, Consumer<StreamEvent> out) {
        if (text != null && !text.isEmpty()) {
            out.accept(new StreamEvent.TextDelta(text));
        }
    }

    private static void emitReasoning(String text, Consumer<StreamEvent> out) {
        if (text != null && !text.isEmpty()) {
            out.accept(new StreamEvent.ReasoningDelta(text));
        }
    }
}
