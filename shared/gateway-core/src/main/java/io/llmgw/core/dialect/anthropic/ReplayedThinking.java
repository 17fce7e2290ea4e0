package io.llmgw.core.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Block;
import io.llmgw.core.protocol.anthropic.AnthropicBlocks;
import io.llmgw.core.protocol.anthropic.ThinkingReplay;

/**
 * A passed-through Messages body with the reasoning Anthropic cannot verify taken out
 * (docs/protocol-mapping.md#pitfall-thinking-signatures): thinking blocks signed by the gateway for turns another upstream answered
 * ({@code gw1.} tokens) would fail the whole request. When that leaves the last tool turn without
 * thinking while thinking is on, thinking is turned off for this request, which Anthropic accepts.
 * Bodies without such blocks — all of a conversation Anthropic served throughout — are not touched.
 */
final class ReplayedThinking {
    private ReplayedThinking() {}

    /** The body to send in place of {@code body}, or null when it can go as it is. */
    static ObjectNode sanitize(ObjectNode body) {
        if (!hasForeign(body.path("messages"))) {
            return null;
        }
        ObjectNode copy = body.deepCopy();
        for (JsonNode message : copy.path("messages")) {
            if ("assistant".equals(message.path("role").asText()) && message.get("content") instanceof ArrayNode content) {
                for (int i = content.size() - 1; i >= 0; i--) {
                    Block replayed = replayed(content.get(i));
                    if (replayed != null) {
                        Block kept = ThinkingReplay.forAnthropic(replayed);
                        if (kept == null) {
                            content.remove(i);
                        } else if (!kept.equals(replayed)) {
                            content.set(i, AnthropicBlocks.write(kept));
                        }
                    }
                }
            }
        }
        String thinking = Json.text(copy.path("thinking"), "type");
        if (thinking != null && !thinking.equals("disabled") && ThinkingReplay.lastToolTurnLacksThinking(copy.path("messages"))) {
            copy.remove("thinking");
        }
        return copy;
    }

    private static boolean hasForeign(JsonNode messages) {
        for (JsonNode message : messages) {
            for (JsonNode block : message.path("content")) {
                Block replayed = replayed(block);
                if (replayed != null && !replayed.equals(ThinkingReplay.forAnthropic(replayed))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A thinking or redacted_thinking block as a canonical block; null for any other block (Anthropic judges malformed ones). */
    private static Block replayed(JsonNode block) {
        return switch (String.valueOf(Json.text(block, "type"))) {
            case "thinking" -> new Block.Thinking(block.path("thinking").asText(""), Json.text(block, "signature"));
            case "redacted_thinking" -> new Block.RedactedThinking(Json.text(block, "data"));
            default -> null;
        };
    }
}
