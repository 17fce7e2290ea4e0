package io.llmgw.core.routing;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.model.Block;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.Message;
import io.llmgw.core.model.ToolDefinition;

/**
 * A cheap size estimate for routing decisions (context-window fit, cost), at about four
 * characters per token. Deliberately not a tokenizer: it runs on every request before routing,
 * and only has to tell 8 k from 128 k.
 */
public final class TokenEstimate {
    private static final int CHARS_PER_TOKEN = 4;
    /** Rough flat cost of one image, in tokens. */
    static final int IMAGE_TOKENS = 1000;

    private TokenEstimate() {}

    public static int ofJsonBytes(int bytes) {
        return bytes / CHARS_PER_TOKEN;
    }

    public static int of(CanonicalRequest request) {
        long chars = 0;
        for (Block.Text text : request.system()) {
            chars += text.text().length();
        }
        for (Message message : request.messages()) {
            chars += ofBlocks(message.content());
        }
        for (ToolDefinition tool : request.tools()) {
            chars += tool.name().length() + (tool.description() == null ? 0 : tool.description().length())
                    + (tool.inputSchema() == null ? 0 : jsonLength(tool.inputSchema()));
        }
        return (int) Math.min(Integer.MAX_VALUE, chars / CHARS_PER_TOKEN);
    }

    /**
     * The length of {@code node} written as compact JSON, escapes aside — counted, not written: a coding
     * agent sends twenty tools and more with large schemas on every request, and writing them out only
     * to measure them cost more than the rest of the estimate.
     */
    static long jsonLength(JsonNode node) {
        if (node.isObject()) {
            long length = 2 + Math.max(0, node.size() - 1);  // braces, commas
            for (var field : node.properties()) {
                length += field.getKey().length() + 3 + jsonLength(field.getValue());  // quotes, colon
            }
            return length;
        }
        if (node.isArray()) {
            long length = 2 + Math.max(0, node.size() - 1);
            for (JsonNode element : node) {
                length += jsonLength(element);
            }
            return length;
        }
        return node.isTextual() ? node.textValue().length() + 2 : node.asText().length();
    }

    static long ofBlocks(java.util.List<Block> blocks) {
        long chars = 0;
        for (Block block : blocks) {
            chars += switch (block) {
                case Block.Text t -> t.text().length();
                case Block.ToolCall c -> c.name().length() + (c.arguments() == null ? 0 : c.arguments().length());
                case Block.ToolResult r -> ofBlocks(r.content());
                case Block.Thinking t -> t.text() == null ? 0 : t.text().length();
                case Block.Document d -> d.text() != null ? d.text().length() : (long) IMAGE_TOKENS * CHARS_PER_TOKEN;
                case Block.Image i -> (long) IMAGE_TOKENS * CHARS_PER_TOKEN;
                case Block.RedactedThinking r -> 0;
            };
        }
        return chars;
    }
}
