package io.llmgw.core.dialect.openai.chat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Block;
import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.model.StopReason;
import io.llmgw.core.model.Usage;

/**
 * Writes a complete canonical answer as a {@code chat.completion} (docs/protocol-mapping.md#chat-response):
 * the text blocks joined into {@code content} (null when the answer is only tool calls),
 * reasoning as {@code reasoning_content}, tool calls with their arguments as JSON text, the
 * finish reason (docs/protocol-mapping.md#stop-reasons), and usage with the cached and reasoning token details.
 */
public final class ChatResponseEncoder {
    private ChatResponseEncoder() {}

    /** Under a new id, for the model {@code model}: how the mock provider answers, in the grammar chat clients get. */
    public static byte[] encode(CanonicalResponse response, String model) {
        return encode(response, ChatEnvelope.mint(model));
    }

    /** @param envelope the response's id, creation time and the model the client asked for */
    static byte[] encode(CanonicalResponse response, ChatEnvelope envelope) {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        ArrayNode calls = Json.NODES.arrayNode();
        for (Block block : response.content()) {
            switch (block) {
                case Block.Text t -> text.append(t.text());
                case Block.Thinking thinking -> reasoning.append(thinking.text() == null ? "" : thinking.text());
                case Block.ToolCall call -> calls.add(toolCall(call));
                default -> { }  // redacted reasoning has no place in a chat answer
            }
        }
        ObjectNode completion = envelope.object("chat.completion");
        ObjectNode choice = completion.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (text.toString().isBlank() && !calls.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", text.toString());
        }
        message.putNull("refusal");
        if (!reasoning.isEmpty()) {
            message.put("reasoning_content", reasoning.toString());
        }
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(response.stopReason(), !calls.isEmpty()));
        if (response.usage() != null && response.usage() != Usage.NONE) {
            completion.set("usage", usage(response.usage()));
        }
        return Json.bytes(completion);
    }

    private static ObjectNode toolCall(Block.ToolCall call) {
        ObjectNode node = Json.object();
        node.put("id", call.id());
        node.put("type", "function");
        node.putObject("function").put("name", call.name())
                .put("arguments", call.arguments() == null || call.arguments().isBlank() ? "{}" : call.arguments());
        signature(node, call.signature());
        return node;
    }

    /** Gemini's thought signature, where Gemini's own chat API puts it, so the client echoes it back with the call. */
    static void signature(ObjectNode toolCall, String signature) {
        if (signature != null) {
            toolCall.putObject("extra_content").putObject("google").put("thought_signature", signature);
        }
    }

    /**
     * The chat finish reason for a canonical stop reason (docs/protocol-mapping.md#stop-reasons). An answer that made
     * tool calls and simply ended says {@code tool_calls}, which is what agent loops test for.
     */
    static String finishReason(StopReason reason, boolean sawToolCall) {
        if (reason == null || reason == StopReason.END_TURN) {
            return sawToolCall ? "tool_calls" : "stop";
        }
        return switch (reason) {
            case TOOL_USE -> "tool_calls";
            case MAX_TOKENS, CONTEXT_WINDOW_EXCEEDED -> "length";
            case CONTENT_FILTER -> "content_filter";
            case END_TURN, STOP_SEQUENCE, PAUSE_TURN -> "stop";
        };
    }

    /**
     * Chat usage: {@code prompt_tokens} is the whole prompt, cached and cache-written tokens
     * included; every count an integer, zero where the upstream said nothing.
     */
    static ObjectNode usage(Usage usage) {
        ObjectNode node = Json.object();
        node.put("prompt_tokens", usage.input());
        node.put("completion_tokens", usage.output());
        node.put("total_tokens", usage.input() + usage.output());
        node.putObject("prompt_tokens_details").put("cached_tokens", usage.cacheRead());
        node.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoning());
        return node;
    }
}
