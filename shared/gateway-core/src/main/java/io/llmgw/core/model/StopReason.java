package io.llmgw.core.model;

/** Why generation stopped, in the canonical vocabulary (protocols.md §6.8). */
public enum StopReason {
    END_TURN,
    STOP_SEQUENCE,
    TOOL_USE,
    MAX_TOKENS,
    CONTENT_FILTER,
    PAUSE_TURN,
    CONTEXT_WINDOW_EXCEEDED
}
