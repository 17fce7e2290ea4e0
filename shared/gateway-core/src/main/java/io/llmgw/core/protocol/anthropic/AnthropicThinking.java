package io.llmgw.core.protocol.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.config.ThinkingSupport;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Reasoning;

/**
 * A canonical reasoning request as Anthropic's {@code thinking} (docs/protocol-mapping.md#upstream-anthropic-thinking). Claude
 * 4.6 and later think adaptively — {@code {"type":"adaptive"}} with {@code output_config.effort};
 * Opus 4.7 takes nothing else — while earlier thinking models take a token budget, which must be at
 * least 1,024 and below {@code max_tokens}. Which kind a model takes is the deployment's {@code thinking:}
 * setting, else told from its name ({@link ThinkingForms}). Shared by the upstreams that carry Anthropic's
 * {@code thinking} object: Anthropic's Messages API, and Amazon Bedrock's Converse (in {@code additionalModelRequestFields}).
 *
 * @param adaptive     adaptive thinking with {@code effort}; otherwise a budget of {@code budgetTokens}
 * @param budgetTokens the thinking budget (budget mode only)
 */
public record AnthropicThinking(boolean adaptive, String effort, int budgetTokens) {
    public static final int MIN_BUDGET = ThinkingForms.MIN_BUDGET;

    /**
     * The thinking to ask for, or null for none: no reasoning asked, effort {@code none}, a model that
     * does not think ({@link ThinkingSupport#NONE}), or no room under {@code maxTokens} for the smallest
     * budget. A model whose forms are unknown gets a budget, which every thinking Claude before 4.7 takes.
     */
    public static AnthropicThinking plan(Reasoning reasoning, String model, ThinkingSupport configured, int maxTokens) {
        if (reasoning == null || "none".equals(reasoning.effort())) {
            return null;
        }
        ThinkingSupport support = ThinkingForms.of(model, configured);
        if (support == ThinkingSupport.NONE) {
            return null;
        }
        String effort = effort(reasoning.effectiveEffort());
        if (support == ThinkingSupport.ADAPTIVE) {
            return new AnthropicThinking(true, effort, 0);
        }
        int budget = Math.min(reasoning.budgetTokens() != null ? reasoning.budgetTokens() : ThinkingForms.budget(effort), maxTokens - 1);
        return budget < MIN_BUDGET ? null : new AnthropicThinking(false, effort, Math.max(budget, MIN_BUDGET));
    }

    /** Claude 4.6 and later; older names ({@code claude-3-7-sonnet-…}) and unknown ones take a budget. */
    public static boolean takesAdaptive(String model) {
        return ThinkingForms.of(model, null) == ThinkingSupport.ADAPTIVE;
    }

    /**
     * {@code {"type":"adaptive","display":"summarized"}} — summarized, because the newest models
     * omit the reasoning text by default and translated clients show it — or
     * {@code {"type":"enabled","budget_tokens":N}}.
     */
    public ObjectNode config() {
        ObjectNode thinking = Json.object();
        if (adaptive) {
            return thinking.put("type", "adaptive").put("display", "summarized");
        }
        return thinking.put("type", "enabled").put("budget_tokens", budgetTokens);
    }

    /** Anthropic's efforts are low, medium, high, xhigh and max; OpenAI's minimal is its low. */
    public static String effort(String canonical) {
        return switch (canonical) {
            case "minimal", "low" -> "low";
            case "high", "xhigh", "max" -> canonical;
            default -> "medium";
        };
    }
}
