package io.llmgw.provider.bedrock;

import io.llmgw.core.config.ThinkingSupport;
import io.llmgw.core.protocol.anthropic.ThinkingForms;
import java.util.Locale;

/**
 * What the gateway can tell about a Bedrock model from its id, for the Converse fields only some families take.
 * Model ids and system inference profiles name the model ({@code us.anthropic.claude-sonnet-4-5-20250929-v1:0},
 * {@code amazon.nova-pro-v1:0}); an application inference profile ARN names nothing, and gets only what every
 * model takes.
 *
 * @param claude   an Anthropic Claude model: Anthropic's {@code thinking}, {@code top_k} and sampling rules,
 *                 the matched stop sequence ({@code /stop_sequence})
 * @param thinking the Claude thinking forms the id tells (adaptive, budget or none), or null when it tells none
 * @param statusOnToolResults whether tool results may carry {@code status: error} (Claude and Nova only)
 */
record ModelFamily(boolean claude, ThinkingSupport thinking, boolean statusOnToolResults) {
    /** Claude's output ceiling when the client sets none: every thinking Claude writes at least this many tokens. */
    static final int CLAUDE_DEFAULT_MAX_TOKENS = 32_000;

    static ModelFamily of(String modelId) {
        String id = modelId.toLowerCase(Locale.ROOT);
        boolean claude = id.contains("anthropic.claude") || id.contains("claude-");
        ThinkingSupport thinking = claude ? ThinkingForms.of(id, null) : null;
        return new ModelFamily(claude, thinking, claude || id.contains("amazon.nova"));
    }

    /** Claude 3.7 and later (the thinking generations) take prompt-cache checkpoints; Bedrock refuses them elsewhere. */
    boolean cachePoints() {
        return thinking == ThinkingSupport.BUDGET || thinking == ThinkingSupport.ADAPTIVE;
    }
}
