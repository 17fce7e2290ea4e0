package io.llmgw.core.dialect.anthropic;

import io.llmgw.core.relay.StreamEncoder;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.model.Ids;
import io.llmgw.core.model.StopReason;
import io.llmgw.core.model.StreamEvent;
import io.llmgw.core.model.Usage;
import io.llmgw.core.protocol.anthropic.AnthropicStopReasons;
import io.llmgw.core.protocol.anthropic.GatewaySignatures;
import io.llmgw.core.protocol.anthropic.ToolIds;
import io.llmgw.core.web.ClientResponse;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.IntSupplier;

/**
 * Writes a canonical event stream as Anthropic's Messages stream (docs/protocol-mapping.md#messages-stream).
 * Blocks get indices 0, 1, 2… in start order and never overlap: a block is closed when the kind
 * of content changes or a new tool call starts. A tool block stays open until its arguments form
 * complete JSON — events for other blocks that arrive meanwhile (interleaved parallel calls) wait
 * and follow in order — so no argument fragment ever lands after its block's stop and no block is
 * closed on a truncated input. Whitespace-only text is never a block of its own. Finish and usage
 * are held until the upstream is done, because usage may arrive after the finish reason.
 */
public final class MessagesStreamEncoder implements StreamEncoder {
    static final byte[] PING = EventFrames.constant("event: ping\ndata: {\"type\":\"ping\"}\n\n");
    private static final byte[] MESSAGE_STOP = EventFrames.constant("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");

    private enum Kind { NONE, TEXT, THINKING, TOOL }

    private final ClientResponse out;
    private final String model;
    private final String origin;
    private final IntSupplier inputEstimate;
    private final EventFrames frames = new EventFrames();
    private final ArrayDeque<StreamEvent> deferred = new ArrayDeque<>();
    private final JsonCompleteness args = new JsonCompleteness();
    private final StringBuilder pendingWhitespace = new StringBuilder();

    private boolean started;
    private Kind open = Kind.NONE;
    private Kind last = Kind.NONE;
    private int index;
    private int openSlot = -1;
    private boolean sawTool;
    private String signature;
    private long outputChars;
    private StreamEvent.Finished finished;
    private Usage usage;

    /**
     * @param model         the model name the client asked for (Claude Code recognises its own names)
     * @param origin        the upstream family, recorded in minted thinking signatures
     * @param inputEstimate a local input-token count, used only when the upstream reports no usage
     */
    public MessagesStreamEncoder(ClientResponse out, String model, String origin, IntSupplier inputEstimate) {
        this.out = out;
        this.model = model;
        this.origin = origin;
        this.inputEstimate = inputEstimate;
    }

    @Override
    public void onEvent(StreamEvent event) {
        switch (event) {
            case StreamEvent.Finished f -> finished = f;
            case StreamEvent.UsageReported u -> usage = u.usage();
            case StreamEvent.Started s -> messageStart();
            default -> route(event);
        }
    }

    @Override
    public void onComplete() {
        messageStart();
        drain(true);
        close();
        pendingWhitespace.setLength(0);
        StopReason reason = AnthropicStopReasons.afterToolCalls(finished == null ? null : finished.reason(), sawTool);
        Usage reported = usage != null && usage.inputTokens() != null ? usage : estimate();
        frames.begin("message_delta").raw(",\"delta\":{\"stop_reason\":\"").raw(AnthropicStopReasons.name(reason))
                .raw("\",\"stop_sequence\":");
        if (finished != null && finished.stopSequence() != null) {
            frames.string(finished.stopSequence());
        } else {
            frames.raw("null");
        }
        out.write(frames.raw("},\"usage\":{\"input_tokens\":").number(reported.uncachedInput())
                .raw(",\"output_tokens\":").number(reported.output())
                .raw(",\"cache_creation_input_tokens\":").number(reported.cacheWrite())
                .raw(",\"cache_read_input_tokens\":").number(reported.cacheRead()).raw("}").end());
        out.write(MESSAGE_STOP);
    }

    @Override
    public void onError(GatewayError error) {
        out.write(AnthropicErrors.INSTANCE.streamFrame(error));
    }

    @Override
    public byte[] keepAliveFrame() {
        return PING;
    }

    private void route(StreamEvent event) {
        messageStart();
        if (open == Kind.TOOL && !args.complete()) {
            if (event instanceof StreamEvent.ToolCallDelta d && d.slot() == openSlot) {
                toolDelta(d);
                if (args.complete()) {
                    drain(false);
                }
            } else {
                deferred.add(event);
            }
            return;
        }
        apply(event);
    }

    /** Replays waiting events; {@code force} at the end, when nothing more can complete the open tool's input. */
    private void drain(boolean force) {
        while (!deferred.isEmpty()) {
            if (open == Kind.TOOL && !args.complete()) {
                if (pullForwardDeltaOf(openSlot)) {
                    continue;
                }
                if (!force) {
                    return;
                }
            }
            apply(deferred.pollFirst());
        }
    }

    private boolean pullForwardDeltaOf(int slot) {
        for (Iterator<StreamEvent> it = deferred.iterator(); it.hasNext(); ) {
            if (it.next() instanceof StreamEvent.ToolCallDelta d && d.slot() == slot) {
                it.remove();
                toolDelta(d);
                return true;
            }
        }
        return false;
    }

    private void apply(StreamEvent event) {
        switch (event) {
            case StreamEvent.TextDelta t -> text(t.text());
            case StreamEvent.ReasoningDelta r -> reasoning(r.text());
            case StreamEvent.ReasoningSignature s -> signature = s.signature();
            case StreamEvent.RedactedReasoning r -> {
                out.write(beginBlock(Kind.NONE).raw("{\"type\":\"redacted_thinking\",\"data\":").string(r.data()).raw("}").end());
                stopBlock();  // arrives whole: nothing to stream into it
            }
            case StreamEvent.ToolCallStarted s -> {
                out.write(beginBlock(Kind.TOOL).raw("{\"type\":\"tool_use\",\"id\":").string(ToolIds.sanitize(s.id()))
                        .raw(",\"name\":").string(s.name()).raw(",\"input\":{}}").end());
                openSlot = s.slot();
                args.reset();
                sawTool = true;
            }
            case StreamEvent.ToolCallDelta d -> toolDelta(d);
            default -> { }
        }
    }

    private void text(String text) {
        if (open == Kind.TEXT) {
            delta("text_delta", "text", text);
            return;
        }
        if (text.isBlank()) {
            if (open != Kind.TOOL && last != Kind.TOOL) {
                pendingWhitespace.append(text);  // kept only if real text follows in the same block
            }
            return;
        }
        String lead = pendingWhitespace.isEmpty() ? "" : pendingWhitespace.toString();
        out.write(beginBlock(Kind.TEXT).raw("{\"type\":\"text\",\"text\":\"\"}").end());
        delta("text_delta", "text", lead.isEmpty() ? text : lead + text);
    }

    private void reasoning(String text) {
        if (open != Kind.THINKING) {
            out.write(beginBlock(Kind.THINKING).raw("{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}").end());
            signature = null;
        }
        delta("thinking_delta", "thinking", text);
    }

    private void toolDelta(StreamEvent.ToolCallDelta d) {
        if (open != Kind.TOOL || d.slot() != openSlot) {
            return;  // a closed block's input was complete JSON; anything after it is noise
        }
        args.feed(d.arguments());
        delta("input_json_delta", "partial_json", d.arguments());
    }

    private void delta(String type, String field, String value) {
        outputChars += value.length();
        out.write(frames.begin("content_block_delta").raw(",\"index\":").number(index).raw(",\"delta\":{\"type\":\"").raw(type)
                .raw("\",\"").raw(field).raw("\":").string(value).raw("}").end());
    }

    /** Closes the open block and begins the start frame of the next one; the caller adds the block and writes it. */
    private EventFrames beginBlock(Kind kind) {
        close();
        pendingWhitespace.setLength(0);
        open = kind;
        last = kind;
        return frames.begin("content_block_start").raw(",\"index\":").number(index).raw(",\"content_block\":");
    }

    private void close() {
        if (open == Kind.NONE) {
            return;
        }
        if (open == Kind.THINKING) {
            // Clients replay thinking blocks and some insist on a signature: this one names its origin.
            out.write(frames.begin("content_block_delta").raw(",\"index\":").number(index)
                    .raw(",\"delta\":{\"type\":\"signature_delta\",\"signature\":").string(GatewaySignatures.mint(origin, signature))
                    .raw("}").end());
        }
        stopBlock();
    }

    private void stopBlock() {
        out.write(frames.begin("content_block_stop").raw(",\"index\":").number(index).end());
        index++;
        open = Kind.NONE;
        openSlot = -1;
    }

    private void messageStart() {
        if (started) {
            return;
        }
        started = true;
        out.write(frames.begin("message_start").raw(",\"message\":{\"id\":\"").raw(Ids.random("msg_"))
                .raw("\",\"type\":\"message\",\"role\":\"assistant\",\"model\":").string(model)
                .raw(",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":0,\"output_tokens\":0,"
                        + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0}}").end());
    }

    /** When the upstream reported no usage: the local input count, and output at ~4 characters per token. */
    private Usage estimate() {
        int output = usage != null && usage.outputTokens() != null ? usage.outputTokens() : (int) ((outputChars + 3) / 4);
        return new Usage(inputEstimate == null ? 0 : inputEstimate.getAsInt(), output, null, null, null);
    }
}
