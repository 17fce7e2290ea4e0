package io.llmgw.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A checker of OpenAI Chat Completions streams as the OpenAI SDKs read them: {@code data:} lines of
 * {@code chat.completion.chunk} objects, none an error, a chunk with empty {@code choices} only as
 * the usage chunk, the usage chunk present exactly when the client asked for it, and
 * {@code [DONE]} last. Used on the live stream (the app) and on buffered ones (Azure Functions).
 */
public final class ChatStreams {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChatStreams() {}

    /** Checks the whole body; returns its chunks; throws {@link AssertionError} naming the first violation. */
    public static List<JsonNode> check(String body, boolean usageExpected) {
        List<String> data = body.lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        require(!data.isEmpty() && data.get(data.size() - 1).equals("[DONE]"), "the stream ends with data: [DONE]");
        List<JsonNode> chunks = new ArrayList<>();
        boolean usageSeen = false;
        for (String payload : data.subList(0, data.size() - 1)) {
            JsonNode chunk = parse(payload);
            require(chunk.path("object").asText().equals("chat.completion.chunk"), "every chunk is a chat.completion.chunk: " + payload);
            require(!chunk.has("error"), "no error chunk: " + payload);
            usageSeen |= chunk.hasNonNull("usage");
            if (chunk.path("choices").isEmpty()) {
                require(chunk.hasNonNull("usage"), "an empty-choices chunk must be the usage chunk: " + payload);
            }
            chunks.add(chunk);
        }
        require(usageSeen == usageExpected, usageExpected ? "the usage chunk the client asked for" : "no usage chunk the client did not ask for");
        return chunks;
    }

    private static void require(boolean condition, String rule) {
        if (!condition) {
            throw new AssertionError("Chat Completions stream: " + rule);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }
}
