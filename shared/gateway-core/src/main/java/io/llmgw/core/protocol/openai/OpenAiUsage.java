package io.llmgw.core.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.model.Usage;

/** OpenAI's {@code usage} object, which chat completions and the Responses API write alike but for the names of its two sides. */
final class OpenAiUsage {
    private OpenAiUsage() {}

    /**
     * @param input  {@code prompt} (chat completions) or {@code input} (Responses): the prefix of the input counts
     * @param output {@code completion} or {@code output}
     * @return the usage; null when absent
     */
    static Usage read(JsonNode usage, String input, String output) {
        if (usage == null || !usage.isObject()) {
            return null;
        }
        return new Usage(intOrNull(usage.get(input + "_tokens")), intOrNull(usage.get(output + "_tokens")),
                intOrNull(usage.path(input + "_tokens_details").get("cached_tokens")), null,
                intOrNull(usage.path(output + "_tokens_details").get("reasoning_tokens")));
    }

    private static Integer intOrNull(JsonNode node) {
        return node != null && node.isNumber() ? node.intValue() : null;
    }
}
