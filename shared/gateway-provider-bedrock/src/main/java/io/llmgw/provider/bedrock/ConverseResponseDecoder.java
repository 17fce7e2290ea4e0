package io.llmgw.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Block;
import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.model.StopReason;
import io.llmgw.core.protocol.ToolNames;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A Converse answer ({@code output.message.content}) as a canonical response: text, reasoning with its signature,
 * redacted reasoning and tool calls in their order; content a client could not continue (citations, images the
 * model drew) is left out. Converse answers carry no id: clients get ids the gateway mints.
 */
final class ConverseResponseDecoder {
    private ConverseResponseDecoder() {}

    static CanonicalResponse decode(byte[] body, String model, ToolNames names, Set<String> customTools, List<String> stops) {
        JsonNode answer;
        try {
            answer = Json.parse(body);
        } catch (IOException e) {
            throw invalid();
        }
        JsonNode blocks = answer == null ? null : answer.path("output").path("message").get("content");
        if (blocks == null || !blocks.isArray()) {
            throw invalid();
        }
        List<Block> content = new ArrayList<>();
        for (JsonNode block : blocks) {
            Block read = read(block, names, customTools);
            if (read != null) {
                content.add(read);
            }
        }
        StopReason reason = ConverseOutcome.stopReason(Json.text(answer, "stopReason"));
        return new CanonicalResponse(null, model, content, reason,
                ConverseOutcome.stopSequence(reason, answer.get("additionalModelResponseFields"), stops),
                ConverseOutcome.usage(answer.get("usage")));
    }

    private static Block read(JsonNode block, ToolNames names, Set<String> customTools) {
        if (block.hasNonNull("text")) {
            String text = block.path("text").asText();
            return text.isEmpty() ? null : new Block.Text(text);
        }
        JsonNode reasoning = block.get("reasoningContent");
        if (reasoning != null) {
            String redacted = Json.text(reasoning, "redactedContent");
            if (redacted != null) {
                return new Block.RedactedThinking(redacted);
            }
            JsonNode text = reasoning.path("reasoningText");
            return new Block.Thinking(text.path("text").asText(""), Json.text(text, "signature"));
        }
        JsonNode use = block.get("toolUse");
        if (use != null) {
            String name = names.client(use.path("name").asText());
            JsonNode input = use.get("input");
            return new Block.ToolCall(Json.text(use, "toolUseId"), name, input != null && input.isObject() ? Json.string(input) : "{}",
                    customTools.contains(name), null);
        }
        return null;
    }

    private static RuntimeException invalid() {
        return GatewayError.of(ErrorKind.UPSTREAM_ERROR, "Amazon Bedrock answered with a body that is not a Converse response.",
                "upstream_malformed_response").withStatus(502).exception();
    }
}
