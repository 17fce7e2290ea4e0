package io.llmgw.core.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Block;
import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.model.Ids;
import io.llmgw.core.model.StreamEvent;
import io.llmgw.core.model.Usage;
import io.llmgw.core.protocol.ToolNames;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads a non-streamed {@code chat.completion} body into a canonical response. */
public final class ChatResponseDecoder {
    private ChatResponseDecoder() {}

    public static CanonicalResponse decode(byte[] body, ToolNames names, Set<String> customTools) {
        return decode(body, names, customTools, List.of());
    }

    /** @param stopSequences the request's stop sequences, which the server may say ended the text */
    public static CanonicalResponse decode(byte[] body, ToolNames names, Set<String> customTools, List<String> stopSequences) {
        JsonNode root;
        try {
            root = Json.parse(body);
        } catch (IOException e) {
            throw invalid();
        }
        JsonNode choice = root == null ? null : root.path("choices").path(0);
        if (choice == null || !choice.isObject()) {
            throw invalid();
        }
        JsonNode message = choice.path("message");
        List<Block> content = new ArrayList<>();
        String reasoning = ChatWire.reasoning(message);
        if (reasoning != null && !reasoning.isEmpty()) {
            content.add(new Block.Thinking(reasoning, null));
        }
        JsonNode text = message.get("content");
        if (text != null && text.isTextual() && !text.textValue().isEmpty()) {
            content.add(new Block.Text(text.textValue()));
        } else if (text != null && text.isArray()) {
            StringBuilder joined = new StringBuilder();
            text.forEach(part -> joined.append(part.path("text").asText("")));
            if (!joined.isEmpty()) {
                content.add(new Block.Text(joined.toString()));
            }
        }
        String refusal = Json.text(message, "refusal");
        if (refusal != null && !refusal.isEmpty()) {
            content.add(new Block.Text(refusal));
        }
        boolean sawToolCall = false;
        for (JsonNode call : message.path("tool_calls")) {
            sawToolCall = true;
            String id = Json.text(call, "id");
            String name = names.client(call.path("function").path("name").asText(""));
            String arguments = call.path("function").path("arguments").asText("");
            String signature = Json.text(call.path("extra_content").path("google"), "thought_signature");
            content.add(new Block.ToolCall(id == null || id.isEmpty() ? Ids.random("call_") : id, name, arguments,
                    customTools.contains(name), signature));
        }
        Usage usage = ChatWire.usage(root.get("usage"));
        StreamEvent.Finished finish = ChatWire.finish(choice, Json.text(choice, "finish_reason"), sawToolCall, stopSequences);
        return new CanonicalResponse(Json.text(root, "id"), Json.text(root, "model"), content, finish.reason(), finish.stopSequence(),
                usage == null ? Usage.NONE : usage);
    }

    private static RuntimeException invalid() {
        return GatewayError.of(ErrorKind.UPSTREAM_ERROR, "The upstream answered with a body that is not a chat completion.",
                "upstream_malformed_response").withStatus(502).exception();
    }
}
