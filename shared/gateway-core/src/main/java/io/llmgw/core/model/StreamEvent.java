package io.llmgw.core.model;

/**
 * What an upstream stream yields, whatever its wire format. Upstream decoders guarantee: a
 * {@link ToolCallStarted} precedes every {@link ToolCallDelta} of its slot; slots are numbered
 * 0, 1, 2… in start order; {@link Finished} and {@link UsageReported} may come in either order
 * and usage may be reported more than once (the last report wins). Client encoders decide
 * block boundaries from these.
 */
public sealed interface StreamEvent {
    /** The upstream's id and model for this response, when it reports them (either may be null). */
    record Started(String id, String model) implements StreamEvent {}

    record TextDelta(String text) implements StreamEvent {}

    record ReasoningDelta(String text) implements StreamEvent {}

    /** The opaque token closing the current reasoning (Anthropic signature, OpenAI encrypted content). */
    record ReasoningSignature(String signature) implements StreamEvent {}

    record RedactedReasoning(String data) implements StreamEvent {}

    /** A tool call begins. {@code slot} numbers calls 0, 1, 2… per response. */
    record ToolCallStarted(int slot, String id, String name, boolean custom, String signature) implements StreamEvent {}

    record ToolCallDelta(int slot, String arguments) implements StreamEvent {}

    record Finished(StopReason reason, String stopSequence) implements StreamEvent {}

    record UsageReported(Usage usage) implements StreamEvent {}
}
