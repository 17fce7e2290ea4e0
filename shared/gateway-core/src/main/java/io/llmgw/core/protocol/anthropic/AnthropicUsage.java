package io.llmgw.core.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Usage;

/**
 * Anthropic's usage object. Its {@code input_tokens} excludes cached and cache-written tokens,
 * while the canonical {@link Usage} (OpenAI's convention) includes them.
 */
public final class AnthropicUsage {
    private AnthropicUsage() {}

    public static ObjectNode write(Usage usage) {
        ObjectNode node = Json.object();
        node.put("input_tokens", usage.uncachedInput());
        node.put("output_tokens", usage.output());
        node.put("cache_creation_input_tokens", usage.cacheWrite());
        node.put("cache_read_input_tokens", usage.cacheRead());
        return node;
    }

    /** A usage object (of a message, or of a message_delta where absent fields are null). */
    public static Usage read(JsonNode node) {
        return update(Usage.NONE, node);
    }

    /**
     * {@code previous} updated by a later report: a stream's {@code message_delta} usage is
     * cumulative and carries {@code output_tokens}, and input or cache counts only when they
     * changed, so the fields it has overwrite and the others are kept.
     */
    public static Usage update(Usage previous, JsonNode node) {
        if (node == null || !node.isObject()) {
            return previous;
        }
        Integer read = intOr(node.get("cache_read_input_tokens"), previous.cacheReadTokens());
        Integer written = intOr(node.get("cache_creation_input_tokens"), previous.cacheWriteTokens());
        Integer uncached = intOr(node.get("input_tokens"), previous.inputTokens() == null ? null : previous.uncachedInput());
        Integer total = uncached == null ? null : uncached + (read == null ? 0 : read) + (written == null ? 0 : written);
        return new Usage(total, intOr(node.get("output_tokens"), previous.outputTokens()), read, written,
                intOr(node.path("output_tokens_details").get("thinking_tokens"), previous.reasoningTokens()));
    }

    private static Integer intOr(JsonNode node, Integer fallback) {
        Integer value = intOrNull(node);
        return value != null ? value : fallback;
    }

    private static Integer intOrNull(JsonNode node) {
        return node != null && node.isNumber() ? node.intValue() : null;
    }
}
