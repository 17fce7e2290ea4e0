package io.llmgw.core.cache;

import io.llmgw.core.model.Block;
import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.model.StopReason;
import io.llmgw.core.model.StreamEvent;
import io.llmgw.core.model.Usage;
import io.llmgw.core.pipeline.AnswerTap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records a live answer as the canonical response it amounts to: a whole answer as it is, a stream
 * by putting its events back together — consecutive text into one block, reasoning with the
 * signature that closes it, each tool call (whose fragments may interleave with other calls') at
 * the place it started, the last usage reported, the finish.
 */
final class AnswerRecorder implements AnswerTap {
    /** A tool call being streamed: where it goes in the content, and its arguments so far. */
    private static final class Call {
        final StreamEvent.ToolCallStarted start;
        final StringBuilder arguments = new StringBuilder();

        Call(StreamEvent.ToolCallStarted start) {
            this.start = start;
        }
    }

    private CanonicalResponse whole;
    /** Content in order: finished blocks, and {@link Call}s completed at the end. */
    private final List<Object> parts = new ArrayList<>();
    private final Map<Integer, Call> calls = new HashMap<>();
    private StringBuilder text;
    private StringBuilder reasoning;
    private String model;
    private StopReason stopReason;
    private String stopSequence;
    private Usage usage;
    private boolean ended;
    private boolean complete;
    private boolean unrepresentable;

    @Override
    public void whole(CanonicalResponse answer) {
        whole = answer;
    }

    @Override
    public void event(StreamEvent event) {
        switch (event) {
            case StreamEvent.Started started -> model = started.model();
            case StreamEvent.TextDelta delta -> {
                if (text == null) {
                    closeOpen();
                    text = new StringBuilder();
                }
                text.append(delta.text());
            }
            case StreamEvent.ReasoningDelta delta -> {
                if (reasoning == null) {
                    closeOpen();
                    reasoning = new StringBuilder();
                }
                reasoning.append(delta.text());
            }
            case StreamEvent.ReasoningSignature signature -> {
                String thought = reasoning == null ? "" : reasoning.toString();
                closeText();
                reasoning = null;
                parts.add(new Block.Thinking(thought, signature.signature()));
            }
            case StreamEvent.RedactedReasoning redacted -> {
                closeOpen();
                parts.add(new Block.RedactedThinking(redacted.data()));
            }
            case StreamEvent.ToolCallStarted started -> {
                closeOpen();
                if (!calls.containsKey(started.slot())) {
                    Call call = new Call(started);
                    calls.put(started.slot(), call);
                    parts.add(call);
                }
            }
            case StreamEvent.ToolCallDelta delta -> {
                Call call = calls.get(delta.slot());
                if (call != null && delta.arguments() != null) {
                    call.arguments.append(delta.arguments());
                }
            }
            case StreamEvent.Finished finished -> {
                stopReason = finished.reason();
                stopSequence = finished.stopSequence();
            }
            case StreamEvent.UsageReported reported -> usage = reported.usage();
        }
    }

    @Override
    public void end(boolean completed) {
        if (!ended) {
            ended = true;
            complete = completed;
        }
    }

    @Override
    public void unrepresentable() {
        unrepresentable = true;
    }

    /** The answer, when it was complete (a whole answer, or a stream the upstream finished with a stop reason) and wholly representable; else null. */
    CanonicalResponse answer() {
        if (unrepresentable) {
            return null;
        }
        if (whole != null) {
            return whole.stopReason() == null ? null : whole;
        }
        if (!complete || stopReason == null) {
            return null;
        }
        closeOpen();
        List<Block> content = new ArrayList<>(parts.size());
        for (Object part : parts) {
            content.add(part instanceof Call call
                    ? new Block.ToolCall(call.start.id(), call.start.name(), call.arguments.toString(), call.start.custom(),
                            call.start.signature())
                    : (Block) part);
        }
        return new CanonicalResponse(null, model, List.copyOf(content), stopReason, stopSequence, usage == null ? Usage.NONE : usage);
    }

    private void closeOpen() {
        closeText();
        if (reasoning != null) {
            parts.add(new Block.Thinking(reasoning.toString(), null));
            reasoning = null;
        }
    }

    private void closeText() {
        if (text != null) {
            parts.add(new Block.Text(text.toString()));
            text = null;
        }
    }
}
