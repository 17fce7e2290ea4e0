package io.llmgw.core.model;

import java.util.List;

/**
 * A complete (non-streamed) answer: assistant content in order (thinking, text, tool calls),
 * why it stopped, and usage.
 *
 * @param id    the upstream's response id, or null
 * @param model the model the upstream reports, or null
 */
public record CanonicalResponse(String id, String model, List<Block> content, StopReason stopReason, String stopSequence,
                                Usage usage) {}
