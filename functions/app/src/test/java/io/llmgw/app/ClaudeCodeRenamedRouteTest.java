package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.core.ObjectMappers;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.OutputConfig;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.ThinkingConfigAdaptive;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.testing.AnthropicScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.RealClientFixtures;
import io.llmgw.testing.RealClientFixtures.FixtureRequest;
import io.llmgw.testing.RecordedRequest;
import io.llmgw.testing.Reply;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Claude Code through a route that sends its model (it asks for {@code claude-opus-4-8}) to another
 * Anthropic model ({@code claude-sonnet-4-5-20250929}), replayed from its captured tool round trip
 * with the thinking block kept. Claude Code sends a turn's thinking back only when the answer named
 * the model it asked for; Anthropic refuses a tool turn without it while thinking is on — the loop
 * that broke when the passthrough named the upstream's model. The fake upstream enforces that rule
 * as Anthropic words it, and the test replays the way Claude Code builds its next turn.
 */
class ClaudeCodeRenamedRouteTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ASKED = "claude-opus-4-8";
    private static final String ROUTED = "claude-sonnet-4-5-20250929";
    private static final String SIGNATURE = "EqQBCkgIBxACGAIiQKlS0xRenamedRouteThinkingSignature9f8e7d6c5b4a3928170605";
    /** The tool call Claude Code's captured second turn answers. */
    private static final String TOOL_ID = "toolu_18a6d217b3116144da80169a";
    private static FakeUpstream upstream;
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        upstream = FakeUpstream.start();
        gateway = TestGateway.start("""
                auth: { mode: gateway, keys: ["${GW_KEY}"] }
                providers:
                  claude: { type: anthropic, base_url: "%s", api_key: "${UP_KEY}", timeout: 5s }
                models:
                  "claude-*": { deployments: [ { provider: claude, model: %s } ] }
                """.formatted(upstream.baseUrl(), ROUTED));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.clear();
        upstream.handler(ClaudeCodeRenamedRouteTest::anthropic);
    }

    /**
     * Like Anthropic: with thinking on, the last assistant turn that made tool calls must begin with
     * its thinking (the error below is Anthropic's own wording); then a first turn thinks and calls
     * Bash, and a turn after the tool result answers in text.
     */
    private static Reply anthropic(RecordedRequest request) {
        JsonNode body = request.json();
        JsonNode messages = body.get("messages");
        String thinking = body.path("thinking").path("type").asText("disabled");
        for (int i = messages.size() - 1; i >= 0 && !thinking.equals("disabled"); i--) {
            JsonNode content = messages.get(i).get("content");
            if (messages.get(i).path("role").asText().equals("assistant") && content.isArray()) {
                String first = content.get(0).path("type").asText();
                if (!first.equals("thinking") && !first.equals("redacted_thinking")) {
                    return Reply.json(400, AnthropicScript.errorBody("invalid_request_error", "messages." + i + ".content.0.type: "
                            + "Expected `thinking` or `redacted_thinking`, but found `" + first + "`. When `thinking` is enabled, a final "
                            + "`assistant` message must start with a thinking block."));
                }
                break;
            }
        }
        boolean afterToolResult = messages.get(messages.size() - 1).path("content").path(0).path("type").asText().equals("tool_result");
        AnthropicScript script = afterToolResult ? AnthropicScript.text("hello-from-tool")
                : AnthropicScript.empty().thinking("The user wants Bash to echo a marker.", SIGNATURE).andText("I'll use the Bash tool.")
                        .toolUse(TOOL_ID, "Bash", "{\"command\":\"echo hello-from-tool\",\"description\":\"Print a marker\"}");
        return script.model(ROUTED).reply(request);
    }

    @Test
    void theThinkingLoopSurvivesARenamedRoute() throws Exception {
        List<FixtureRequest> captured = RealClientFixtures.load("claude-code-tool-round-trip");
        FixtureRequest turn1 = captured.get(1);
        FixtureRequest turn2 = captured.get(2);
        assertThat(turn1.body().get("model").asText()).isEqualTo(ASKED);
        assertThat(turn1.body().at("/thinking/type").asText()).isEqualTo("adaptive");

        HttpResponse<String> first = send(turn1, turn1.body());
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        Message answer = accumulate(first.body());
        assertThat(answer.model().asString()).as("the model Claude Code asked for").isEqualTo(ASKED);
        assertThat(first.headers().firstValue("x-gateway-upstream-model")).hasValue(ROUTED);
        JsonNode sent = upstream.lastRequest().json();
        assertThat(sent.get("model").asText()).isEqualTo(ROUTED);
        assertThat(JSON.writeValueAsString(sent.get("thinking"))).as("Claude Code's adaptive thinking, as the 4.5 model takes it")
                .isEqualTo("{\"type\":\"enabled\",\"budget_tokens\":16384}");

        // Claude Code's next turn: the captured one, with the assistant turn it rebuilds from the stream
        ObjectNode next = turn2.body().deepCopy();
        ArrayNode messages = (ArrayNode) next.get("messages");
        int assistant = 2;
        assertThat(messages.get(assistant).path("role").asText()).isEqualTo("assistant");
        messages.set(assistant, assistantTurn(answer, answer.model().asString().equals(ASKED)));
        HttpResponse<String> second = send(turn2, next);

        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        JsonNode replayed = upstream.lastRequest().json().at("/messages/" + assistant + "/content/0");
        assertThat(replayed.get("type").asText()).isEqualTo("thinking");
        assertThat(replayed.get("signature").asText()).isEqualTo(SIGNATURE);
        assertThat(accumulate(second.body()).content().get(0).asText().text()).isEqualTo("hello-from-tool");
    }

    /** The same adaptive request from anthropic-java, streamed and not: a budget upstream, the requested model back. */
    @Test
    void theSdksAdaptiveThinkingBecomesABudgetAndTheAnswerNamesTheModelAsked() {
        MessageCreateParams params = MessageCreateParams.builder().model(ASKED).maxTokens(32_000)
                .thinking(ThinkingConfigAdaptive.builder().build())
                .outputConfig(OutputConfig.builder().effort(OutputConfig.Effort.LOW).build())
                .addUserMessage("Run echo hi").build();

        Message created = gateway.anthropic().messages().create(params);
        JsonNode createdUpstream = upstream.lastRequest().json();
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = gateway.anthropic().messages().createStreaming(params)) {
            stream.stream().forEach(accumulator::accumulate);
        }

        for (Message message : List.of(created, accumulator.message())) {
            assertThat(message.model().asString()).isEqualTo(ASKED);
            assertThat(message.content().get(0).asThinking().signature()).isEqualTo(SIGNATURE);
        }
        for (JsonNode sent : List.of(createdUpstream, upstream.lastRequest().json())) {
            assertThat(sent.get("model").asText()).isEqualTo(ROUTED);
            assertThat(sent.at("/thinking/type").asText()).isEqualTo("enabled");
            assertThat(sent.at("/thinking/budget_tokens").asInt()).isEqualTo(1024);
        }
    }

    /** The assistant turn Claude Code sends back: the answer's blocks, its thinking only if the answer named its model. */
    private static ObjectNode assistantTurn(Message answer, boolean keepThinking) {
        ObjectNode turn = JSON.createObjectNode().put("role", "assistant");
        ArrayNode content = turn.putArray("content");
        for (ContentBlock block : answer.content()) {
            if (block.isThinking() && keepThinking) {
                content.addObject().put("type", "thinking").put("thinking", block.asThinking().thinking())
                        .put("signature", block.asThinking().signature());
            } else if (block.isText()) {
                content.addObject().put("type", "text").put("text", block.asText().text());
            } else if (block.isToolUse()) {
                content.addObject().put("type", "tool_use").put("id", block.asToolUse().id()).put("name", block.asToolUse().name())
                        .set("input", JSON.valueToTree(block.asToolUse()._input().convert(Object.class)));
            }
        }
        return turn;
    }

    private static Message accumulate(String sse) throws Exception {
        MessageAccumulator accumulator = MessageAccumulator.create();
        for (String frame : sse.split("\n\n")) {
            int data = frame.indexOf("data: ");
            if (data >= 0 && !frame.startsWith("event: ping")) {
                accumulator.accumulate(ObjectMappers.jsonMapper().readValue(frame.substring(data + 6), RawMessageStreamEvent.class));
            }
        }
        return accumulator.message();
    }

    private static HttpResponse<String> send(FixtureRequest request, JsonNode body) throws Exception {
        List<String> headers = new ArrayList<>();
        request.headersWithKey(TestGateway.GATEWAY_KEY).forEach((k, v) -> {
            headers.add(k);
            headers.add(v);
        });
        return gateway.send(request.method(), request.target(), JSON.writeValueAsString(body), headers.toArray(String[]::new));
    }
}
