package io.llmgw.core.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.dialect.AnswerReader;
import io.llmgw.core.error.GatewayException;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.protocol.ToolNames;
import io.llmgw.core.protocol.UpstreamEvents;
import io.llmgw.core.protocol.anthropic.AnthropicResponseDecoder;
import io.llmgw.core.protocol.anthropic.AnthropicStreamDecoder;
import io.llmgw.core.protocol.anthropic.AnthropicUpstreamErrors;
import java.util.Set;

/**
 * Anthropic messages passed through, read into canonical form by the decoders that read Anthropic
 * upstreams on the translated path. Those skip what a client could not continue — server tool
 * calls and their results, citations — so an answer holding any of it is not fit to keep.
 */
final class MessagesAnswers implements AnswerReader {
    private static final Set<String> KEPT_BLOCKS = Set.of("text", "thinking", "redacted_thinking", "tool_use");

    @Override
    public CanonicalResponse whole(byte[] body) {
        JsonNode message = Json.parseOrNull(body);
        if (message == null || !message.path("content").isArray()) {
            return null;
        }
        for (JsonNode block : message.get("content")) {
            if (!kept(block)) {
                return null;
            }
        }
        try {
            return AnthropicResponseDecoder.decode(body, ToolNames.NONE, Set.of());
        } catch (GatewayException malformed) {
            return null;
        }
    }

    @Override
    public StreamReader stream() {
        AnthropicStreamDecoder decoder = new AnthropicStreamDecoder(ToolNames.NONE, Set.of());
        return (event, out) -> {
            JsonNode data = UpstreamEvents.object(event);
            if (data == null) {
                return false;
            }
            String type = AnthropicUpstreamErrors.type(event, data);
            if ("content_block_start".equals(type) && !kept(data.path("content_block"))
                    || "content_block_delta".equals(type) && "citations_delta".equals(data.path("delta").path("type").asText())) {
                return false;
            }
            decoder.decode(event, out);
            return true;
        };
    }

    private static boolean kept(JsonNode block) {
        JsonNode citations = block.get("citations");
        return KEPT_BLOCKS.contains(block.path("type").asText()) && (citations == null || citations.isNull() || citations.isEmpty());
    }
}
