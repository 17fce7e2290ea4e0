package io.llmgw.core.provider.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Reasoning;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A canonical reasoning request as Anthropic's {@code thinking} (protocols.md §1.1, §6.6). Claude
 * 4.6 and later think adaptively — {@code {"type":"adaptive"}} with {@code output_config.effort};
 * Opus 4.7 takes nothing else — while earlier thinking models take a token budget, which must be at
 * least 1,024 and below {@code max_tokens}. Which kind a model takes is told from its name.
 *
 * @param adaptive     adaptive thinking with {@code effort}; otherwise a budget of {@code budgetTokens}
 * @param budgetTokens the thinking budget (budget mode only)
 */
record AnthropicThinking(boolean adaptive, String effort, int budgetTokens) {
    static final int MIN_BUDGET = 1024;
    /**
     * A current model id: family, major version, and a one- or two-digit minor version when there is
     * one (so {@code claude-sonnet-4-20250514} is 4, not 4.20250514). Bedrock and Vertex ids embed it.
     */
    private static final Pattern MODEL_VERSION = Pattern.compile("claude-[a-z]+-(\\d{1,3})(?!\\d)(?:-(\\d{1,2})(?!\\d))?");

    /**
     * The thinking to ask for, or null for none: no reasoning asked, effort {@code none}, or no room
     * under {@code maxTokens} for the smallest budget.
     */
    static AnthropicThinking plan(Reasoning reasoning, String model, int maxTokens) {
        if (reasoning == null || "none".equals(reasoning.effort())) {
            return null;
        }
        String effort = effort(reasoning.effectiveEffort());
        if (takesAdaptive(model)) {
            return new AnthropicThinking(true, effort, 0);
        }
        int budget = Math.min(reasoning.budgetTokens() != null ? reasoning.budgetTokens() : budget(effort), maxTokens - 1);
        return budget < MIN_BUDGET ? null : new AnthropicThinking(false, effort, Math.max(budget, MIN_BUDGET));
    }

    /** Claude 4.6 and later; older names ({@code claude-3-7-sonnet-…}) and unknown ones take a budget. */
    static boolean takesAdaptive(String model) {
        Matcher m = MODEL_VERSION.matcher(model.toLowerCase(Locale.ROOT));
        if (!m.find()) {
            return false;
        }
        int major = Integer.parseInt(m.group(1));
        int minor = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        return major > 4 || major == 4 && minor >= 6;
    }

    /**
     * {@code {"type":"adaptive","display":"summarized"}} — summarized, because the newest models
     * omit the reasoning text by default and translated clients show it — or
     * {@code {"type":"enabled","budget_tokens":N}}.
     */
    ObjectNode config() {
        ObjectNode thinking = Json.object();
        if (adaptive) {
            return thinking.put("type", "adaptive").put("display", "summarized");
        }
        return thinking.put("type", "enabled").put("budget_tokens", budgetTokens);
    }

    /** Anthropic's efforts are low, medium, high, xhigh and max; OpenAI's minimal is its low. */
    private static String effort(String canonical) {
        return switch (canonical) {
            case "minimal", "low" -> "low";
            case "high", "xhigh", "max" -> canonical;
            default -> "medium";
        };
    }

    /** Budgets per effort, within the ranges protocols.md §6.6 gives (low 1k, medium 4–8k, high 16–24k). */
    private static int budget(String effort) {
        return switch (effort) {
            case "low" -> MIN_BUDGET;
            case "high" -> 16_384;
            case "xhigh" -> 24_576;
            case "max" -> 32_000;
            default -> 8_192;
        };
    }
}
