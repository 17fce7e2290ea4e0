package io.llmgw.core.model;

/** Why generation stopped, in the canonical vocabulary (docs/protocol-mapping.md#stop-reasons). */
public enum StopReason {
    END_TURN,
    STOP_SEQUENCE,
    TOOL_USE,
    MAX_TOKENS,
    CONTENT_FILTER,
    PAUSE_TURN,
    CONTEXT_WINDOW_EXCEEDED
}
