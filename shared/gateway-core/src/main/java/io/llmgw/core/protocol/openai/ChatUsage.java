package io.llmgw.core.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.telemetry.RequestContext;

/** Reads a Chat Completions {@code usage} object. */
public final class ChatUsage {
    private ChatUsage() {}

    /** The usage object of a chat response or chunk; null when absent or JSON null. */
    public static RequestContext.Usage read(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return null;
        }
        return new RequestContext.Usage(
                intOrNull(usage.get("prompt_tokens")),
                intOrNull(usage.get("completion_tokens")),
                intOrNull(usage.path("prompt_tokens_details").get("cached_tokens")));
    }

    private static Integer intOrNull(JsonNode node) {
        return node != null && node.isNumber() ? node.intValue() : null;
    }
}
