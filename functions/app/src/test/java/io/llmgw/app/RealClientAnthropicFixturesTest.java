package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.testing.AnthropicStreams;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.RealClientFixtures;
import io.llmgw.testing.RealClientFixtures.FixtureRequest;
import io.llmgw.testing.RecordedRequest;
import io.llmgw.testing.Reply;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every captured Claude Code and Anthropic-SDK request, replayed as sent (key put back) through the
 * running app to a fake Azure upstream, is answered in a form those clients accept: streams pass
 * the strict grammar check, bodies are complete messages, count_tokens gives a count. Streaming
 * requests are replayed once more without streaming, as Claude Code does after a broken stream.
 */
class RealClientAnthropicFixturesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FakeUpstream upstream;
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        upstream = FakeUpstream.start();
        upstream.handler(RealClientAnthropicFixturesTest::answer);
        gateway = TestGateway.start(TestGateway.singleUpstream("azure-openai", upstream.baseUrl()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    /** A first turn with tools gets reasoning, text and a call of the first tool; a turn after a tool result gets text. */
    private static Reply answer(RecordedRequest request) {
        JsonNode messages = request.json().get("messages");
        boolean afterToolResult = messages.get(messages.size() - 1).path("role").asText().equals("tool");
        JsonNode tools = request.json().path("tools");
        ChatScript script = tools.isEmpty() || afterToolResult
                ? ChatScript.text("Done: hello-from-tool.")
                : ChatScript.text("I'll use a tool.").reasoning("The user wants a tool run.")
                        .toolCall("call_fx1", tools.get(0).at("/function/name").asText(), "{\"command\":\"echo hi\"}");
        return script.usage(1800, 40).cachedTokens(1024).azureQuirks().reply(request);
    }

    static Stream<String> fixtures() {
        return RealClientFixtures.names().stream().filter(n -> n.startsWith("claude-code") || n.startsWith("anthropic-sdk"));
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void replay(String fixture) throws Exception {
        for (FixtureRequest request : RealClientFixtures.load(fixture)) {
            HttpResponse<String> response = send(request, request.body());
            assertThat(response.statusCode()).as(fixture + " " + request.target() + ": " + response.body()).isEqualTo(200);
            if (request.body() == null) {
                continue;  // the HEAD / probe
            }
            if (request.path().endsWith("/count_tokens")) {
                assertThat(JSON.readTree(response.body()).get("input_tokens").asInt()).isPositive();
            } else if (request.body().path("stream").asBoolean()) {
                assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
                AnthropicStreams.Summary summary = AnthropicStreams.check(response.body());
                assertThat(summary.error()).isNull();
                assertThat(summary.blocks()).isNotEmpty();
                assertThat(summary.usage().get("input_tokens").asInt()).isEqualTo(1800 - 1024);
                assertThat(summary.usage().get("cache_read_input_tokens").asInt()).isEqualTo(1024);
                assertThat(summary.messageStart().get("model").asText()).isEqualTo(request.body().get("model").asText());

                ObjectNode retry = request.body().deepCopy();
                retry.put("stream", false);
                assertValidMessage(send(request, retry), request.body().get("model").asText());
            } else {
                assertValidMessage(response, request.body().get("model").asText());
            }
        }
    }

    private static HttpResponse<String> send(FixtureRequest request, JsonNode body) throws Exception {
        List<String> headers = new ArrayList<>();
        request.headersWithKey(TestGateway.GATEWAY_KEY).forEach((k, v) -> {
            headers.add(k);
            headers.add(v);
        });
        return gateway.send(request.method(), request.target(), body == null ? null : JSON.writeValueAsString(body),
                headers.toArray(String[]::new));
    }

    private static void assertValidMessage(HttpResponse<String> response, String model) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode message = JSON.readTree(response.body());
        assertThat(message.get("type").asText()).isEqualTo("message");
        assertThat(message.get("id").asText()).startsWith("msg_");
        assertThat(message.get("model").asText()).isEqualTo(model);
        assertThat(message.get("content")).isNotEmpty();
        for (JsonNode block : message.get("content")) {
            switch (block.get("type").asText()) {
                case "text" -> assertThat(block.get("text").asText()).isNotBlank();
                case "thinking" -> assertThat(block.get("signature").asText()).startsWith("gw1.");
                case "tool_use" -> {
                    assertThat(block.get("id").asText()).matches("[a-zA-Z0-9_-]+");
                    assertThat(block.get("input").isObject()).isTrue();
                }
                default -> throw new AssertionError("unexpected block " + block);
            }
        }
        assertThat(message.get("stop_reason").asText()).isIn("end_turn", "tool_use");
        assertThat(message.at("/usage/input_tokens").asInt()).isEqualTo(1800 - 1024);
    }
}
