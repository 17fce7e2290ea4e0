package io.llmgw.core.model;

/**
 * Token usage in OpenAI's convention: {@code inputTokens} is the whole prompt including cached
 * and cache-written tokens. Any field may be null when the upstream did not report it.
 */
public record Usage(Integer inputTokens, Integer outputTokens, Integer cacheReadTokens, Integer cacheWriteTokens,
                    Integer reasoningTokens) {
    public static final Usage NONE = new Usage(null, null, null, null, null);

    public int input() {
        return inputTokens == null ? 0 : inputTokens;
    }

    public int output() {
        return outputTokens == null ? 0 : outputTokens;
    }

    public int cacheRead() {
        return cacheReadTokens == null ? 0 : cacheReadTokens;
    }

    public int cacheWrite() {
        return cacheWriteTokens == null ? 0 : cacheWriteTokens;
    }

    public int reasoning() {
        return reasoningTokens == null ? 0 : reasoningTokens;
    }

    /** Anthropic's {@code input_tokens}: the prompt minus what was read from or written to the cache. */
    public int uncachedInput() {
        return Math.max(input() - cacheRead() - cacheWrite(), 0);
    }
}
