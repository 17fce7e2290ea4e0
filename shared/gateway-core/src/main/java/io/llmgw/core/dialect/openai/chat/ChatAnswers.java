package io.llmgw.core.dialect.openai.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.dialect.AnswerReader;
import io.llmgw.core.error.GatewayException;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.protocol.ToolNames;
import io.llmgw.core.protocol.UpstreamEvents;
import io.llmgw.core.protocol.openai.ChatResponseDecoder;
import io.llmgw.core.protocol.openai.ChatStreamDecoder;
import java.util.List;
import java.util.Set;

/**
 * Chat completions passed through, read into canonical form by the same decoders that read chat
 * upstreams on the translated path. What the canonical model has no place for makes an answer
 * unfit to keep: more than one choice, log probabilities, a refusal (it would come back as
 * content), audio, annotations, the legacy {@code function_call}, content given as parts.
 */
final class ChatAnswers implements AnswerReader {
    private final List<String> stopSequences;

    /** @param stopSequences the request's, which the server may say ended the text */
    ChatAnswers(List<String> stopSequences) {
        this.stopSequences = stopSequences;
    }

    @Override
    public CanonicalResponse whole(byte[] body) {
        JsonNode root = Json.parseOrNull(body);
        JsonNode choices = root == null ? null : root.get("choices");
        if (choices == null || !choices.isArray() || choices.size() != 1 || !representable(choices.get(0), "message")) {
            return null;
        }
        JsonNode content = choices.get(0).path("message").get("content");
        if (content != null && !content.isNull() && !content.isTextual()) {
            return null;
        }
        try {
            return ChatResponseDecoder.decode(body, ToolNames.NONE, Set.of(), stopSequences);
        } catch (GatewayException malformed) {
            return null;
        }
    }

    @Override
    public StreamReader stream() {
        ChatStreamDecoder decoder = new ChatStreamDecoder(ToolNames.NONE, Set.of(), stopSequences);
        return (event, out) -> {
            if (!event.isDone()) {
                JsonNode chunk = UpstreamEvents.object(event);
                if (chunk == null) {
                    return false;
                }
                for (JsonNode choice : chunk.path("choices")) {
                    if (choice.path("index").asInt(0) != 0 || !representable(choice, "delta")) {
                        return false;
                    }
                }
            }
            decoder.decode(event, out);
            return true;
        };
    }

    /** Whether a choice's {@code message} (or stream {@code delta}) holds only what the canonical model keeps. */
    private static boolean representable(JsonNode choice, String field) {
        JsonNode message = choice.path(field);
        return absent(choice.get("logprobs")) && absent(message.get("refusal")) && absent(message.get("audio"))
                && absent(message.get("annotations")) && absent(message.get("function_call"));
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isNull() || node.isContainerNode() && node.isEmpty() || node.isTextual() && node.textValue().isEmpty();
    }
}
