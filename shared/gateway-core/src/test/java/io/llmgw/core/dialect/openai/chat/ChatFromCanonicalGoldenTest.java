package io.llmgw.core.dialect.openai.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.StreamEvent;
import io.llmgw.testing.GoldenCases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden cases for what a Chat client receives from an upstream that does not speak chat, written
 * against the canonical events that upstream's decoder yields (so they hold before such an
 * upstream is on this branch). Each folder under {@code golden/chat-from-canonical}:
 * <pre>
 * request.json            the client's request ({@code body.model}, {@code stream_options.include_usage} matter)
 * events.json             canonical events, {"event": "&lt;StreamEvent record name&gt;", …its fields}, ending with
 *                         {"event": "complete"} or {"event": "error", "kind", "status", "message"}
 * expected-response.sse   what the client must receive
 * anthropic-upstream.sse  optional: the Anthropic stream the events stand for, for the full-path case
 *                         whose full path runs in golden/chat-anthropic (scenario 7, docs/protocol-mapping.md#golden-scenarios)
 * </pre>
 * {@code -Dgolden.update=true} rewrites the expected files, as for the other golden suites.
 */
class ChatFromCanonicalGoldenTest {
    @TestFactory
    Stream<DynamicTest> canonicalEventsToChatChunks() {
        return GoldenCases.each(getClass(), "golden/chat-from-canonical", ChatFromCanonicalGoldenTest::runCase);
    }

    private static void runCase(Path folder) throws IOException {
        ObjectNode body = (ObjectNode) Json.parse(Files.readAllBytes(folder.resolve("request.json"))).get("body");
        // The request must decode as the translated path would decode it.
        CanonicalRequest request = ChatRequestDecoder.decode(body, body.get("model").asText());
        assertThat(request.stream()).as("golden streams need a streamed request").isTrue();

        StringBuilder received = new StringBuilder();
        ChatStreamEncoder encoder = new ChatStreamEncoder(request.model(),
                body.path("stream_options").path("include_usage").asBoolean(false),
                frame -> received.append(new String(frame, StandardCharsets.UTF_8)));
        for (JsonNode event : Json.parse(Files.readAllBytes(folder.resolve("events.json")))) {
            String name = event.get("event").asText();
            switch (name) {
                case "complete" -> encoder.onComplete();
                case "error" -> encoder.onError(GatewayError.of(ErrorKind.valueOf(event.get("kind").asText()),
                        event.get("message").asText()).withStatus(event.get("status").asInt()));
                default -> encoder.onEvent(streamEvent(name, (ObjectNode) event.deepCopy()));
            }
        }
        GoldenCases.assertMatches(folder.resolve("expected-response.sse"), received.toString());
    }

    private static StreamEvent streamEvent(String name, ObjectNode fields) throws IOException {
        fields.remove("event");
        Class<?> type = Arrays.stream(StreamEvent.class.getPermittedSubclasses())
                .filter(c -> c.getSimpleName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no canonical stream event " + name));
        return (StreamEvent) Json.MAPPER.treeToValue(fields, type);
    }
}
