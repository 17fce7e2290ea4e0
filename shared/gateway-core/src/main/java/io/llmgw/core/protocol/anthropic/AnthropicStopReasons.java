package io.llmgw.core.protocol.anthropic;

import io.llmgw.core.model.StopReason;

/** Anthropic's {@code stop_reason} names for the canonical stop reasons (docs/protocol-mapping.md#stop-reasons). */
public final class AnthropicStopReasons {
    private AnthropicStopReasons() {}

    public static String name(StopReason reason) {
        return switch (reason) {
            case END_TURN -> "end_turn";
            case STOP_SEQUENCE -> "stop_sequence";
            case TOOL_USE -> "tool_use";
            case MAX_TOKENS -> "max_tokens";
            case CONTENT_FILTER -> "refusal";
            case PAUSE_TURN -> "pause_turn";
            case CONTEXT_WINDOW_EXCEEDED -> "model_context_window_exceeded";
        };
    }

    /** The canonical reason for an Anthropic name; unknown names count as a natural end. */
    public static StopReason parse(String name) {
        if (name == null) {
            return StopReason.END_TURN;
        }
        return switch (name) {
            case "stop_sequence" -> StopReason.STOP_SEQUENCE;
            case "tool_use" -> StopReason.TOOL_USE;
            case "max_tokens" -> StopReason.MAX_TOKENS;
            case "refusal" -> StopReason.CONTENT_FILTER;
            case "pause_turn" -> StopReason.PAUSE_TURN;
            case "model_context_window_exceeded" -> StopReason.CONTEXT_WINDOW_EXCEEDED;
            default -> StopReason.END_TURN;
        };
    }

    /** Tool calls end a turn even when the upstream said "stop" (Gemini and others do). */
    public static StopReason afterToolCalls(StopReason reason, boolean sawToolCall) {
        if (reason == null) {
            return sawToolCall ? StopReason.TOOL_USE : StopReason.END_TURN;
        }
        return sawToolCall && reason == StopReason.END_TURN ? StopReason.TOOL_USE : reason;
    }
}
