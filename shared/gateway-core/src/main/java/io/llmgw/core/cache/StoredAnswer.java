package io.llmgw.core.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Block;
import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.model.StopReason;
import io.llmgw.core.model.Usage;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How a cache entry is stored: the canonical answer as compact JSON, versioned, with when it was
 * stored (a virtual key may take answers younger than the entry's time to live only) —
 * {@code {"v":2,"at":<epoch milliseconds>,"model":…,"content":[{"type":"text","text":…}, {"type":"thinking","text":…,"signature":…},
 * {"type":"redacted_thinking","data":…}, {"type":"tool_call","id":…,"name":…,"arguments":…,"custom":…,"signature":…}],
 * "stop_reason":"END_TURN","stop_sequence":…,"usage":{"input":…,"output":…,"cache_read":…,"cache_write":…,"reasoning":…}}}.
 * An entry this version cannot read (another version, damage) reads as absent: a miss, never a failure.
 */
record StoredAnswer(CanonicalResponse answer, Instant storedAt) {
    static byte[] encode(CanonicalResponse answer, Instant storedAt) {
        ObjectNode root = Json.object();
        root.put("v", CacheKey.VERSION);
        root.put("at", storedAt.toEpochMilli());
        root.put("model", answer.model());
        ArrayNode content = root.putArray("content");
        for (Block block : answer.content()) {
            switch (block) {
                case Block.Text text -> content.addObject().put("type", "text").put("text", text.text());
                case Block.Thinking thinking -> content.addObject().put("type", "thinking").put("text", thinking.text())
                        .put("signature", thinking.signature());
                case Block.RedactedThinking redacted -> content.addObject().put("type", "redacted_thinking").put("data", redacted.data());
                case Block.ToolCall call -> content.addObject().put("type", "tool_call").put("id", call.id()).put("name", call.name())
                        .put("arguments", call.arguments()).put("custom", call.custom()).put("signature", call.signature());
                default -> throw new IllegalArgumentException("not part of an answer: " + block.getClass().getSimpleName());
            }
        }
        root.put("stop_reason", answer.stopReason().name());
        root.put("stop_sequence", answer.stopSequence());
        Usage usage = answer.usage() == null ? Usage.NONE : answer.usage();
        root.putObject("usage").put("input", usage.inputTokens()).put("output", usage.outputTokens())
                .put("cache_read", usage.cacheReadTokens()).put("cache_write", usage.cacheWriteTokens())
                .put("reasoning", usage.reasoningTokens());
        return Json.bytes(root);
    }

    /** The stored answer, or null when this version cannot read it. */
    static StoredAnswer decode(byte[] stored) {
        try {
            JsonNode root = Json.parse(stored);
            if (root == null || root.path("v").asInt() != CacheKey.VERSION || !root.path("at").canConvertToLong()) {
                return null;
            }
            List<Block> content = new ArrayList<>();
            for (JsonNode block : root.path("content")) {
                content.add(switch (block.path("type").asText()) {
                    case "text" -> new Block.Text(block.path("text").asText());
                    case "thinking" -> new Block.Thinking(Json.text(block, "text"), Json.text(block, "signature"));
                    case "redacted_thinking" -> new Block.RedactedThinking(Json.text(block, "data"));
                    case "tool_call" -> new Block.ToolCall(Json.text(block, "id"), Json.text(block, "name"), Json.text(block, "arguments"),
                            block.path("custom").asBoolean(), Json.text(block, "signature"));
                    default -> throw new IllegalArgumentException("unknown block");
                });
            }
            JsonNode usage = root.path("usage");
            return new StoredAnswer(new CanonicalResponse(null, Json.text(root, "model"), List.copyOf(content),
                    StopReason.valueOf(root.path("stop_reason").asText()), Json.text(root, "stop_sequence"),
                    new Usage(count(usage, "input"), count(usage, "output"), count(usage, "cache_read"), count(usage, "cache_write"),
                            count(usage, "reasoning"))), Instant.ofEpochMilli(root.path("at").asLong()));
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    private static Integer count(JsonNode usage, String field) {
        JsonNode value = usage.get(field);
        return value == null || !value.canConvertToInt() ? null : value.intValue();
    }
}
