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
        if (node == null || !node.isObject()) {
            return Usage.NONE;
        }
        Integer input = intOrNull(node.get("input_tokens"));
        Integer read = intOrNull(node.get("cache_read_input_tokens"));
        Integer written = intOrNull(node.get("cache_creation_input_tokens"));
        Integer total = input == null ? null : input + (read == null ? 0 : read) + (written == null ? 0 : written);
        return new Usage(total, intOrNull(node.get("output_tokens")), read, written, null);
    }

    private static Integer intOrNull(JsonNode node) {
        return node != null && node.isNumber() ? node.intValue() : null;
    }
}
