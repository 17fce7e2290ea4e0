package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.testing.AnthropicStreams;
import io.llmgw.testing.RealClientFixtures;
import io.llmgw.testing.RealClientFixtures.FixtureRequest;
import io.llmgw.testing.ResponsesStreams;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a newcomer sees pointing Claude Code or Codex at a gateway started with {@code GATEWAY_MOCK=1}:
 * every captured request of those clients, replayed as sent (key put back), is answered in a form
 * the client accepts (strict grammar checks); a prompt asking "use the tool X args {…}" gets exactly
 * that call, the turn carrying its result gets "The tool returned: …" and no call (so the agent loop
 * ends), and any other prompt gets its echo.
 */
class MockRealClientsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TOOL_REQUEST = Pattern.compile("use the tool (\\w+) args (\\{.*})");
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start("", Map.of("GATEWAY_MOCK", "1", "PROXY_API_KEY", TestGateway.GATEWAY_KEY));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    static Stream<String> fixtures() {
        return RealClientFixtures.names().stream().filter(n -> n.startsWith("claude-code-") || n.startsWith("codex-cli-"));
    }

    /** What the mock must answer to a request, read from the request the way a reader of the fixture would. */
    private record Expected(String toolName, JsonNode toolArguments, String toolOutput, String echo) {}

    @ParameterizedTest
    @MethodSource("fixtures")
    void replay(String fixture) throws Exception {
        for (FixtureRequest request : RealClientFixtures.load(fixture)) {
            if (request.body() == null || "websocket".equalsIgnoreCase(request.headers().get("upgrade"))) {
                continue;  // probes and Codex's WebSocket attempt never reach an upstream
            }
            List<String> headers = new ArrayList<>();
            request.headersWithKey(TestGateway.GATEWAY_KEY).forEach((k, v) -> {
                headers.add(k);
                headers.add(v);
            });
            HttpResponse<String> response = gateway.send(request.method(), request.target(), JSON.writeValueAsString(request.body()),
                    headers.toArray(String[]::new));
            assertThat(response.statusCode()).as(fixture + " " + request.target() + ": " + response.body()).isEqualTo(200);
            if (request.path().endsWith("/count_tokens")) {
                assertThat(JSON.readTree(response.body()).get("input_tokens").asInt()).isPositive();
            } else if (request.path().endsWith("/messages")) {
                assertAnthropicAnswer(request.body(), response.body());
            } else {
                assertResponsesAnswer(request.body(), response.body());
            }
        }
    }

    private static void assertAnthropicAnswer(JsonNode body, String answer) throws Exception {
        JsonNode last = null;
        for (JsonNode message : body.get("messages")) {
            last = message.path("role").asText().equals("user") ? message : last;
        }
        List<JsonNode> content = new ArrayList<>();
        last.path("content").forEach(content::add);
        JsonNode result = content.stream().filter(b -> b.path("type").asText().equals("tool_result")).reduce((a, b) -> b).orElse(null);
        JsonNode text = content.stream().filter(b -> b.path("type").asText().equals("text")).reduce((a, b) -> b).orElse(null);
        Expected expected = expected(result == null ? null : result.get("content").asText(),
                last.path("content").isTextual() ? last.get("content").asText() : text == null ? "" : text.get("text").asText());

        AnthropicStreams.Summary summary = AnthropicStreams.check(answer);
        assertThat(summary.error()).isNull();
        String said = summary.blocks().stream().filter(b -> b.type().equals("text")).map(AnthropicStreams.Block::text)
                .reduce("", String::concat);
        List<AnthropicStreams.Block> calls = summary.blocks().stream().filter(b -> b.type().equals("tool_use")).toList();
        if (expected.toolName() != null) {
            assertThat(calls).singleElement().satisfies(call -> {
                assertThat(call.start().get("name").asText()).isEqualTo(expected.toolName());
                assertThat(JSON.readTree(call.text())).isEqualTo(expected.toolArguments());
            });
            assertThat(summary.stopReason()).isEqualTo("tool_use");
        } else {
            assertThat(calls).isEmpty();
            assertThat(summary.stopReason()).isEqualTo("end_turn");
            assertText(said, expected);
        }
    }

    private static void assertResponsesAnswer(JsonNode body, String answer) throws Exception {
        JsonNode last = body.get("input").get(body.get("input").size() - 1);
        String userText = "";
        for (JsonNode part : last.path("content")) {
            userText = part.path("text").asText(userText);
        }
        Expected expected = expected(last.path("type").asText().equals("function_call_output") ? last.get("output").asText() : null,
                userText);

        JsonNode response = ResponsesStreams.check(answer);
        StringBuilder said = new StringBuilder();
        List<JsonNode> calls = new ArrayList<>();
        for (JsonNode item : response.get("output")) {
            if (item.get("type").asText().equals("function_call")) {
                calls.add(item);
            }
            item.path("content").forEach(part -> said.append(part.path("text").asText("")));
        }
        if (expected.toolName() != null) {
            assertThat(calls).singleElement().satisfies(call -> {
                assertThat(call.get("name").asText()).isEqualTo(expected.toolName());
                assertThat(JSON.readTree(call.get("arguments").asText())).isEqualTo(expected.toolArguments());
            });
        } else {
            assertThat(calls).isEmpty();
            assertText(said.toString(), expected);
        }
    }

    private static Expected expected(String toolOutput, String userText) throws Exception {
        if (toolOutput != null) {
            return new Expected(null, null, toolOutput, null);
        }
        Matcher tool = TOOL_REQUEST.matcher(userText);
        return tool.find() ? new Expected(tool.group(1), JSON.readTree(tool.group(2)), null, null) : new Expected(null, null, null, userText);
    }

    private static void assertText(String said, Expected expected) {
        if (expected.toolOutput() != null) {
            assertThat(said).isEqualTo("The tool returned: " + expected.toolOutput().stripTrailing());
        } else {
            assertThat(said).isEqualTo("You said: " + expected.echo().stripTrailing());
        }
    }
}
