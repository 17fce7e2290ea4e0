package io.llmgw.core.config;

import java.util.Locale;

/**
 * Which Anthropic {@code thinking} forms a deployment's model accepts (the deployment setting
 * {@code thinking:}). When it is not configured the gateway tells it from the model name where it
 * can (see {@code protocol.anthropic.ThinkingForms}).
 */
public enum ThinkingSupport {
    /** {@code {"type":"adaptive"}} with {@code output_config.effort} (Claude 4.6 and later; Opus 4.7 takes nothing else). */
    ADAPTIVE,
    /** {@code {"type":"enabled","budget_tokens":N}} only (Claude 3.7 to 4.5). */
    BUDGET,
    /** No extended thinking at all (Claude 3.5 and older, many Anthropic-compatible servers). */
    NONE;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value for a configuration word, or null when it is none of them. */
    public static ThinkingSupport parse(String value) {
        for (ThinkingSupport support : values()) {
            if (support.configName().equals(value == null ? null : value.trim().toLowerCase(Locale.ROOT))) {
                return support;
            }
        }
        return null;
    }
}
