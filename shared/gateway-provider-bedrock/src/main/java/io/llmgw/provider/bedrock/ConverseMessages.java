package io.llmgw.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
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
 * A canonical conversation as Converse {@code messages}: strictly alternating turns ({@link ConversationTurns}),
 * tool results first in their user turn, blank text and empty turns left out, a short user turn first when the
 * conversation would open with the assistant, tool ids made valid and tool names shortened as for every upstream.
 *
 * <p>Replayed reasoning goes back only where Bedrock can verify it ({@link ThinkingReplay}): a Claude model on
 * Bedrock checks the signature of every reasoning block and fails the request for one it did not mint. So Bedrock's
 * own signatures go back — raw as Responses clients carry them, unwrapped from the {@code gw1.} token Anthropic
 * clients carry — and everything else is left out: tokens naming another upstream (Anthropic's API included, whose
 * signatures Bedrock does not accept), OpenAI's encrypted reasoning, and reasoning without a signature.
 */
final class ConverseMessages {
    /** Stands in for the user turn a conversation must begin with. */
    static final String OPENING = "(conversation continues)";

    private ConverseMessages() {}

    static ArrayNode encode(List<Message> conversation, ToolNames names, ModelFamily family) {
        ConverseContent media = new ConverseContent();
        ArrayNode messages = Json.NODES.arrayNode();
        for (ConversationTurns.Turn turn : ConversationTurns.of(conversation)) {
            ArrayNode content = Json.NODES.arrayNode();
            if (turn.role() == Role.USER) {
                turn.blocks().stream().filter(b -> b instanceof Block.ToolResult)
                        .forEach(b -> content.add(media.toolResult((Block.ToolResult) b, family.statusOnToolResults())));
                turn.blocks().stream().filter(b -> !(b instanceof Block.ToolResult)).forEach(b -> media.add(content, b));
            } else {
                turn.blocks().forEach(b -> assistantBlock(content, b, names));
            }
            if (!content.isEmpty()) {
                messages.addObject().put("role", turn.role() == Role.USER ? "user" : "assistant").set("content", content);
            }
        }
        if (messages.isEmpty() || "assistant".equals(messages.get(0).path("role").asText())) {
            messages.insertObject(0).put("role", "user").putArray("content").addObject().put("text", OPENING);
        }
        return messages;
    }

    private static void assistantBlock(ArrayNode content, Block block, ToolNames names) {
        switch (ThinkingReplay.forUpstream(block, BedrockFactory.TYPE)) {
            case null -> { }
            case Block.Text text when text.text().isBlank() -> { }
            case Block.Text text -> content.addObject().put("text", text.text());
            case Block.Thinking thinking -> content.addObject().putObject("reasoningContent").putObject("reasoningText")
                    .put("text", thinking.text()).put("signature", thinking.signature());
            case Block.RedactedThinking redacted -> content.addObject().putObject("reasoningContent")
                    .put("redactedContent", redacted.data());
            case Block.ToolCall call -> {
                ObjectNode use = content.addObject().putObject("toolUse").put("toolUseId", ToolIds.sanitize(call.id()))
                        .put("name", names.upstream(call.name()));
                use.set("input", AnthropicBlocks.input(call.custom() ? CustomTools.arguments(call.arguments()) : call.arguments()));
            }
            default -> {
                // images, documents and tool results are never the assistant's own content
            }
        }
    }

    /**
     * Whether the last assistant turn calls tools without starting with reasoning: with thinking on, Claude refuses
     * that, which is what a conversation from another upstream looks like once foreign reasoning is left out.
     */
    static boolean lastToolTurnLacksReasoning(ArrayNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if ("assistant".equals(message.path("role").asText())) {
                boolean callsTools = false;
                for (JsonNode block : message.path("content")) {
                    callsTools |= block.has("toolUse");
                }
                return callsTools && !message.path("content").path(0).has("reasoningContent");
            }
        }
        return false;
    }

    /** Whether the conversation carries tool calls or results, which Bedrock takes only with a tool configuration. */
    static boolean usesTools(ArrayNode messages) {
        for (JsonNode message : messages) {
            for (JsonNode block : message.path("content")) {
                if (block.has("toolUse") || block.has("toolResult")) {
                    return true;
                }
            }
        }
        return false;
    }
}
