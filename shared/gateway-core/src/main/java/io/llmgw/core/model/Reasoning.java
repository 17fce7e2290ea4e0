package io.llmgw.core.model;

/**
 * How much the model should reason. {@code effort} is one of none, minimal, low, medium, high,
 * xhigh, max; {@code budgetTokens} is Anthropic's thinking budget when the client gave one.
 * Either may be null.
 */
public record Reasoning(String effort, Integer budgetTokens) {
    /** The effort, derived from the budget when only a budget was given (claude-code-router's scale). */
    public String effectiveEffort() {
        if (effort != null) {
            return effort;
        }
        if (budgetTokens == null) {
            return "medium";
        }
        return budgetTokens <= 1024 ? "low" : budgetTokens <= 8192 ? "medium" : "high";
    }
}
