package io.llmgw.core.provider.anthropic;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Block;
import io.llmgw.core.model.Message;
import io.llmgw.core.model.Role;
import io.llmgw.core.protocol.ConversationTurns;
import io.llmgw.core.protocol.CustomTools;
import io.llmgw.core.protocol.ToolNames;
import io.llmgw.core.protocol.anthropic.AnthropicBlocks;
import io.llmgw.core.protocol.anthropic.ThinkingReplay;
import io.llmgw.core.protocol.anthropic.ToolIds;
import java.util.List;

/**
 * A canonical conversation as Anthropic's {@code messages} (docs/protocol-mapping.md#upstream-anthropic-messages):
 * consecutive turns of one role merged into one turn, and parallel calls recorded one by one back
 * into one turn ({@link ConversationTurns}); in user turns, tool results first (Anthropic
 * wants them right after the tool_use turn, before any text); empty and whitespace-only text left
 * out (Anthropic rejects it), and turns left empty dropped; a conversation that would start with
 * the assistant gets a short user turn first; replayed reasoning only where Anthropic can verify
 * it ({@link ThinkingReplay}); tool ids made valid and tool names shortened as for every upstream.
 */
final class AnthropicMessages {
    /** Stands in for the user turn a conversation must begin with. */
    static final String OPENING = "(conversation continues)";

    private AnthropicMessages() {}

    static ArrayNode encode(List<Message> conversation, ToolNames names) {
        ArrayNode messages = Json.NODES.arrayNode();
        for (ConversationTurns.Turn turn : ConversationTurns.of(conversation)) {
            add(messages, turn.role(), turn.blocks(), names);
        }
        if (messages.isEmpty() || "assistant".equals(messages.get(0).path("role").asText())) {
            ObjectNode opening = messages.insertObject(0).put("role", "user");
            opening.putArray("content").addObject().put("type", "text").put("text", OPENING);
        }
        return messages;
    }

    private static void add(ArrayNode messages, Role role, List<Block> blocks, ToolNames names) {
        if (role == null) {
            return;
        }
        ArrayNode content = Json.NODES.arrayNode();
        if (role == Role.USER) {
            // tool results lead the turn, in their order; the rest keeps its order after them
            blocks.stream().filter(b -> b instanceof Block.ToolResult).forEach(b -> content.add(toolResult((Block.ToolResult) b)));
            blocks.stream().filter(b -> !(b instanceof Block.ToolResult)).forEach(b -> userBlock(content, b));
        } else {
            blocks.forEach(b -> assistantBlock(content, b, names));
        }
        if (!content.isEmpty()) {
            ObjectNode message = messages.addObject().put("role", role == Role.USER ? "user" : "assistant");
            message.set("content", content);
        }
    }

    private static void userBlock(ArrayNode content, Block block) {
        switch (block) {
            case Block.Text text when text.text().isBlank() -> { }
            case Block.Text text -> content.add(AnthropicBlocks.write(text));
            case Block.Image image -> content.add(AnthropicBlocks.write(image));
            case Block.Document document -> content.add(AnthropicBlocks.write(document));
            default -> {
                // reasoning and tool calls are the assistant's; a user turn never carries them to Anthropic
            }
        }
    }

    private static void assistantBlock(ArrayNode content, Block block, ToolNames names) {
        switch (block) {
            case Block.Text text when text.text().isBlank() -> { }
            case Block.Text text -> content.add(AnthropicBlocks.write(text));
            case Block.Thinking thinking -> replayed(content, thinking);
            case Block.RedactedThinking redacted -> replayed(content, redacted);
            case Block.ToolCall call -> {
                ObjectNode use = content.addObject().put("type", "tool_use").put("id", ToolIds.sanitize(call.id()))
                        .put("name", names.upstream(call.name()));
                use.set("input", AnthropicBlocks.input(call.custom() ? CustomTools.arguments(call.arguments()) : call.arguments()));
            }
            default -> {
                // images, documents and tool results are never the assistant's own content
            }
        }
    }

    private static void replayed(ArrayNode content, Block block) {
        Block kept = ThinkingReplay.forAnthropic(block);
        if (kept != null) {
            content.add(AnthropicBlocks.write(kept));
        }
    }

    /** Text, images and documents; blank text left out, and an empty result sent without content. */
    private static ObjectNode toolResult(Block.ToolResult result) {
        ObjectNode node = Json.object().put("type", "tool_result").put("tool_use_id", ToolIds.sanitize(result.toolCallId()));
        ArrayNode parts = Json.NODES.arrayNode();
        result.content().forEach(part -> userBlock(parts, part));
        if (!parts.isEmpty()) {
            node.set("content", parts);
        }
        if (result.isError()) {
            node.put("is_error", true);
        }
        return node;
    }
}
