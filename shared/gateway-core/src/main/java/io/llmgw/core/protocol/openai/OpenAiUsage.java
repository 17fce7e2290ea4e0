package io.llmgw.core.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.model.Usage;

/** OpenAI's {@code usage} object, which chat completions and the Responses API write alike but for the names of its two sides. */
final class OpenAiUsage {
    /** The field names of one API's usage object, spelled once instead of on every read. */
    record Names(String inputTokens, String outputTokens, String inputDetails, String outputDetails) {
        /**
         * @param input  {@code prompt} (chat completions) or {@code input} (Responses): the prefix of the input counts
         * @param output {@code completion} or {@code output}
         */
        static Names of(String input, String output) {
            return new Names(input + "_tokens", output + "_tokens", input + "_tokens_details", output + "_tokens_details");
        }
    }

    static final Names CHAT = Names.of("prompt", "completion");
    static final Names RESPONSES = Names.of("input", "output");

    private OpenAiUsage() {}

    /** @return the usage; null when absent */
    static Usage read(JsonNode usage, Names names) {
        if (usage == null || !usage.isObject()) {
            return null;
        }
        return new Usage(intOrNull(usage.get(names.inputTokens())), intOrNull(usage.get(names.outputTokens())),
                intOrNull(usage.path(names.inputDetails()).get("cached_tokens")), null,
                intOrNull(usage.path(names.outputDetails()).get("reasoning_tokens")));
    }

    private static Integer intOrNull(JsonNode node) {
        return node != null && node.isNumber() ? node.intValue() : null;
    }
}
