package io.llmgw.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.StopReason;
import io.llmgw.core.model.Usage;
import java.util.List;

/** How a Converse answer ended and what it cost, in the canonical vocabulary; shared by whole and streamed answers. */
final class ConverseOutcome {
    private ConverseOutcome() {}

    /** Converse's {@code stopReason}; the ones without a canonical twin (malformed output) end the turn. */
    static StopReason stopReason(String reason) {
        return switch (reason == null ? "" : reason) {
            case "tool_use" -> StopReason.TOOL_USE;
            case "max_tokens" -> StopReason.MAX_TOKENS;
            case "stop_sequence" -> StopReason.STOP_SEQUENCE;
            case "guardrail_intervened", "content_filtered" -> StopReason.CONTENT_FILTER;
            case "model_context_window_exceeded" -> StopReason.CONTEXT_WINDOW_EXCEEDED;
            default -> StopReason.END_TURN;
        };
    }

    /**
     * The stop sequence that matched: Claude reports it when asked ({@code additionalModelResponseFields.stop_sequence});
     * for other models it is known only when the request had a single one.
     */
    static String stopSequence(StopReason reason, JsonNode additionalFields, List<String> requested) {
        if (reason != StopReason.STOP_SEQUENCE) {
            return null;
        }
        String reported = Json.text(additionalFields, "stop_sequence");
        return reported != null ? reported : requested.size() == 1 ? requested.get(0) : null;
    }

    /**
     * Converse's usage. Its {@code inputTokens} leaves out the tokens read from and written to the prompt cache,
     * which it reports beside them; the canonical input is the whole prompt, so they are added back.
     */
    static Usage usage(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Usage.NONE;
        }
        Integer read = integer(usage, "cacheReadInputTokens");
        Integer written = integer(usage, "cacheWriteInputTokens");
        Integer input = integer(usage, "inputTokens");
        Integer whole = input == null ? null : input + (read == null ? 0 : read) + (written == null ? 0 : written);
        return new Usage(whole, integer(usage, "outputTokens"), read, written, null);
    }

    private static Integer integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.canConvertToInt() ? value.intValue() : null;
    }
}
