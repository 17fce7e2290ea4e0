package io.llmgw.core.model;

import java.util.List;
import java.util.function.Consumer;

/**
 * A complete (non-streamed) answer: assistant content in order (thinking, text, tool calls),
 * why it stopped, and usage.
 *
 * @param id    the upstream's response id, or null
 * @param model the model the upstream reports, or null
 */
public record CanonicalResponse(String id, String model, List<Block> content, StopReason stopReason, String stopSequence,
                                Usage usage) {
    /**
     * The answer as the stream events an upstream would have sent for it, in order: the start, each
     * block's content (reasoning text then its signature, tool calls numbered 0, 1, 2… with their
     * whole arguments), usage, and the finish — what a dialect's stream encoder needs to write it as
     * a stream (a cached answer replayed to a streaming client).
     */
    public void replay(Consumer<StreamEvent> out) {
        out.accept(new StreamEvent.Started(id, model));
        int slot = 0;
        for (Block block : content) {
            switch (block) {
                case Block.Thinking thinking -> {
                    if (thinking.text() != null && !thinking.text().isEmpty()) {
                        out.accept(new StreamEvent.ReasoningDelta(thinking.text()));
                    }
                    if (thinking.signature() != null) {
                        out.accept(new StreamEvent.ReasoningSignature(thinking.signature()));
                    }
                }
                case Block.RedactedThinking redacted -> out.accept(new StreamEvent.RedactedReasoning(redacted.data()));
                case Block.Text text -> out.accept(new StreamEvent.TextDelta(text.text()));
                case Block.ToolCall call -> {
                    out.accept(new StreamEvent.ToolCallStarted(slot, call.id(), call.name(), call.custom(), call.signature()));
                    if (call.arguments() != null && !call.arguments().isEmpty()) {
                        out.accept(new StreamEvent.ToolCallDelta(slot, call.arguments()));
                    }
                    slot++;
                }
                default -> {
                    // images, documents and tool results are never part of an assistant's answer
                }
            }
        }
        if (usage != null) {
            out.accept(new StreamEvent.UsageReported(usage));
        }
        out.accept(new StreamEvent.Finished(stopReason, stopSequence));
    }
}
