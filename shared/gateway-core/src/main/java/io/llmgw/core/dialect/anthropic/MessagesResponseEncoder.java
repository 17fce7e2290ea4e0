package io.llmgw.core.dialect.anthropic;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Block;
import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.model.Ids;
import io.llmgw.core.model.Usage;
import io.llmgw.core.protocol.anthropic.AnthropicBlocks;
import io.llmgw.core.protocol.anthropic.AnthropicStopReasons;
import io.llmgw.core.protocol.anthropic.AnthropicUsage;
import io.llmgw.core.protocol.anthropic.GatewaySignatures;
import java.util.function.IntSupplier;

/**
 * Writes a complete canonical answer as an Anthropic {@code message}: thinking (with a gateway
 * signature), then text, then tool calls, in the upstream's order; blank text is left out
 * because Anthropic rejects it when the client sends the turn back.
 */
final class MessagesResponseEncoder {
    private MessagesResponseEncoder() {}

    static byte[] encode(CanonicalResponse response, String model, String origin, IntSupplier inputEstimate) {
        ObjectNode message = Json.object();
        message.put("id", Ids.random("msg_"));
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", model);
        ArrayNode content = message.putArray("content");
        boolean sawTool = false;
        for (Block block : response.content()) {
            switch (block) {
                case Block.Text text when text.text().isBlank() -> { }
                case Block.Thinking thinking -> content.add(AnthropicBlocks.write(
                        new Block.Thinking(thinking.text(), GatewaySignatures.mint(origin, thinking.signature()))));
                case Block.ToolCall call -> {
                    sawTool = true;
                    content.add(AnthropicBlocks.write(call));
                }
                default -> content.add(AnthropicBlocks.write(block));
            }
        }
        message.put("stop_reason", AnthropicStopReasons.name(AnthropicStopReasons.afterToolCalls(response.stopReason(), sawTool)));
        message.put("stop_sequence", response.stopSequence());
        Usage usage = response.usage();
        if (usage == null || usage.inputTokens() == null) {
            usage = new Usage(inputEstimate.getAsInt(), usage == null ? null : usage.outputTokens(), null, null, null);
        }
        message.set("usage", AnthropicUsage.write(usage));
        return Json.bytes(message);
    }
}
