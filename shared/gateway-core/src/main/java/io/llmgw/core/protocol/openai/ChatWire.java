package io.llmgw.core.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.StopReason;
import io.llmgw.core.model.StreamEvent;
import io.llmgw.core.model.Usage;
import java.util.List;

/** Field-level readings of the Chat Completions wire shared by its stream and body decoders. */
public final class ChatWire {
    private ChatWire() {}

    static StopReason stopReason(String finishReason, boolean sawToolCall) {
        if (finishReason == null) {
            return sawToolCall ? StopReason.TOOL_USE : StopReason.END_TURN;
        }
        return switch (finishReason) {
            case "length" -> StopReason.MAX_TOKENS;
            case "tool_calls", "function_call" -> StopReason.TOOL_USE;
            case "content_filter" -> StopReason.CONTENT_FILTER;
            // Gemini and some servers say "stop" after tool calls.
            default -> sawToolCall ? StopReason.TOOL_USE : StopReason.END_TURN;
        };
    }

    /**
     * Why the choice stopped, with the stop sequence that ended it when the server says which:
     * vLLM's {@code stop_reason} and SGLang's {@code matched_stop} beside {@code finish_reason: "stop"}.
     * Only one of the request's own sequences counts — a number there is a stop token id, and a server's
     * built-in stop strings are no sequence the client asked for.
     */
    static StreamEvent.Finished finish(JsonNode choice, String finishReason, boolean sawToolCall, List<String> stopSequences) {
        return finish(finishReason, sawToolCall, stopSequences, Json.text(choice, "stop_reason"), Json.text(choice, "matched_stop"));
    }

    /** As {@link #finish(JsonNode, String, boolean, List)}, given the choice's {@code stop_reason} and {@code matched_stop} strings. */
    static StreamEvent.Finished finish(String finishReason, boolean sawToolCall, List<String> stopSequences, String stopReason,
                                       String matchedStop) {
        StopReason reason = stopReason(finishReason, sawToolCall);
        if (reason == StopReason.END_TURN && "stop".equals(finishReason)) {
            for (String matched : new String[] {stopReason, matchedStop}) {
                if (matched != null && stopSequences.contains(matched)) {
                    return new StreamEvent.Finished(StopReason.STOP_SEQUENCE, matched);
                }
            }
        }
        return new StreamEvent.Finished(reason, null);
    }

    /** A chat {@code usage} object; null when absent. */
    public static Usage usage(JsonNode usage) {
        return OpenAiUsage.read(usage, OpenAiUsage.CHAT);
    }

    /** Reasoning text in any of the de-facto fields: {@code reasoning_content}, {@code reasoning} (string or {text|content}). */
    static String reasoning(JsonNode holder) {
        String text = Json.text(holder, "reasoning_content");
        if (text != null) {
            return text;
        }
        JsonNode reasoning = holder.get("reasoning");
        if (reasoning == null || reasoning.isNull()) {
            return null;
        }
        if (reasoning.isTextual()) {
            return reasoning.textValue();
        }
        String inner = Json.text(reasoning, "text");
        return inner != null ? inner : Json.text(reasoning, "content");
    }
}
