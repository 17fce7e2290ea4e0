package io.llmgw.core.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Block;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.Message;
import io.llmgw.core.model.Reasoning;
import io.llmgw.core.model.ResponseFormat;
import io.llmgw.core.model.Role;
import io.llmgw.core.model.ToolChoice;
import io.llmgw.core.model.ToolDefinition;
import io.llmgw.core.protocol.ToolNames;
import io.llmgw.core.protocol.anthropic.AnthropicThinking;
import io.llmgw.core.protocol.anthropic.GatewaySignatures;
import io.llmgw.core.spi.Deployment;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnthropicRequestEncoderTest {
    private static final GatewayConfig.Provider PROVIDER = new GatewayConfig.Provider("a", "anthropic", "sk-ant-api03-x",
            Duration.ofSeconds(5), Duration.ofSeconds(30), null, new AnthropicSettings(URI.create("https://api.anthropic.com")));
    private static final ToolDefinition WEATHER = ToolDefinition.function("get_weather", "Weather",
            Json.object().put("type", "object"));
    private static final List<Message> HELLO = List.of(new Message(Role.USER, List.of(new Block.Text("hi"))));

    private static Deployment deployment(String model, Integer ceiling) {
        return new Deployment(PROVIDER, model, ceiling, null);
    }

    private static CanonicalRequest request(List<Message> messages, List<ToolDefinition> tools, ToolChoice choice, Boolean parallel,
                                            Integer maxTokens, Double temperature, Double topP, Reasoning reasoning) {
        return new CanonicalRequest("client-model", List.of(new Block.Text("Be brief."), new Block.Text("  ")), messages, tools, choice,
                parallel, maxTokens, temperature, topP, 5, List.of("END"), reasoning, null, true, "user-1");
    }

    private static AnthropicRequestEncoder.Encoded encode(CanonicalRequest request, String model) {
        return AnthropicRequestEncoder.encode(request, deployment(model, null), ToolNames.of(request));
    }

    @ParameterizedTest
    @CsvSource({
        "claude-sonnet-4-5-20250929, , , 32000",
        "claude-3-5-haiku-20241022, , , 8192",
        "claude-3-haiku-20240307, , , 4096",
        "claude-3-7-sonnet-20250219, , , 32000",
        "deepseek-chat, , , 8192",
        "claude-sonnet-4-5, 64000, , 64000",
        "claude-sonnet-4-5, 64000, 16000, 16000",
        "claude-sonnet-4-5, 2000, 16000, 2000",
    })
    void maxTokensIsAlwaysSent(String model, Integer asked, Integer ceiling, int expected) {
        CanonicalRequest request = request(HELLO, List.of(), null, null, asked, null, null, null);
        assertThat(AnthropicRequestEncoder.encode(request, deployment(model, ceiling), ToolNames.NONE).body().get("max_tokens").asInt())
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "claude-opus-4-6, true", "claude-sonnet-4-6-20260101, true", "claude-opus-4-7, true", "claude-sonnet-5, true",
        "anthropic.claude-opus-4-6-v1, true", "claude-opus-4-6@20260101, true",
        "claude-sonnet-4-5-20250929, false", "claude-sonnet-4-20250514, false", "claude-opus-4-1-20250805, false",
        "claude-3-7-sonnet-20250219, false", "claude-haiku-4-5, false", "my-model, false"})
    void adaptiveThinkingFromClaude46On(String model, boolean adaptive) {
        assertThat(AnthropicThinking.takesAdaptive(model)).isEqualTo(adaptive);
    }

    @Test
    void effortBecomesABudgetBelowMaxTokensAndSamplingFollowsThinkingRules() {
        CanonicalRequest request = request(HELLO, List.of(WEATHER), ToolChoice.ANY, null, 4000, 0.7, 0.9, new Reasoning("high", null));

        AnthropicRequestEncoder.Encoded encoded = encode(request, "claude-sonnet-4-5");
        JsonNode body = encoded.body();

        assertThat(body.get("thinking")).isEqualTo(Json.object().put("type", "enabled").put("budget_tokens", 3999));
        assertThat(body.has("temperature")).isFalse();
        assertThat(body.has("top_p")).as("only 0.95-1 with thinking").isFalse();
        assertThat(body.has("top_k")).isFalse();
        assertThat(body.at("/tool_choice/type").asText()).as("no forced tool while thinking").isEqualTo("auto");
        assertThat(encoded.beta()).isEqualTo(AnthropicRequestEncoder.INTERLEAVED_THINKING_BETA);
    }

    @Test
    void adaptiveThinkingCarriesTheEffortInOutputConfig() {
        CanonicalRequest request = request(HELLO, List.of(), null, null, null, null, null, new Reasoning("minimal", null));

        AnthropicRequestEncoder.Encoded encoded = encode(request, "claude-opus-4-6");

        assertThat(encoded.body().get("thinking")).isEqualTo(Json.object().put("type", "adaptive").put("display", "summarized"));
        assertThat(encoded.body().at("/output_config/effort").asText()).isEqualTo("low");
        assertThat(encoded.beta()).isNull();
    }

    @Test
    void noThinkingWithoutRoomOrWithEffortNone() {
        assertThat(encode(request(HELLO, List.of(), null, null, 1024, null, null, new Reasoning(null, 2048)), "claude-sonnet-4-5")
                .body().has("thinking")).isFalse();
        assertThat(encode(request(HELLO, List.of(), null, null, null, null, null, new Reasoning("none", null)), "claude-sonnet-4-5")
                .body().has("thinking")).isFalse();
    }

    @Test
    void withoutThinkingTemperatureIsClampedAndWinsOverTopP() {
        JsonNode body = encode(request(HELLO, List.of(WEATHER), ToolChoice.tool("get_weather"), false, null, 1.6, 0.9, null),
                "claude-sonnet-4-5").body();

        assertThat(body.get("temperature").asDouble()).isEqualTo(1.0);
        assertThat(body.has("top_p")).isFalse();
        assertThat(body.get("top_k").asInt()).isEqualTo(5);
        assertThat(body.get("tool_choice")).isEqualTo(Json.object().put("type", "tool").put("name", "get_weather")
                .put("disable_parallel_tool_use", true));
        assertThat(body.get("stop_sequences").get(0).asText()).isEqualTo("END");
        assertThat(body.at("/metadata/user_id").asText()).isEqualTo("user-1");
        assertThat(body.get("system")).hasSize(1);
        assertThat(body.at("/system/0/cache_control/type").asText()).isEqualTo("ephemeral");
        assertThat(body.at("/tools/0/cache_control/type").asText()).isEqualTo("ephemeral");
    }

    @Test
    void parallelCallsOffWithoutAChoiceIsAutoWithoutParallelism() {
        JsonNode body = encode(request(HELLO, List.of(WEATHER), null, false, null, null, null, null), "claude-sonnet-4-5").body();
        assertThat(body.get("tool_choice")).isEqualTo(Json.object().put("type", "auto").put("disable_parallel_tool_use", true));
    }

    @Test
    void conversationShape() {
        List<Message> messages = List.of(
                new Message(Role.ASSISTANT, List.of(new Block.Text("Earlier answer."))),
                new Message(Role.USER, List.of(new Block.Text("Weather?"))),
                new Message(Role.ASSISTANT, List.of(new Block.Text(""), new Block.ToolCall("functions.get_weather:0", "get_weather", ""))),
                new Message(Role.USER, List.of(new Block.Text("and be quick"))),
                new Message(Role.USER, List.of(new Block.ToolResult("functions.get_weather:0",
                        List.of(new Block.Text("18C"), new Block.Text(" "), new Block.Image("image/png", "iVBOR", null, null)), true))));

        JsonNode sent = encode(request(messages, List.of(WEATHER), null, null, null, null, null, null), "claude-sonnet-4-5")
                .body().get("messages");

        assertThat(sent).hasSize(5);
        assertThat(sent.at("/0/content/0/text").asText()).isEqualTo(AnthropicMessages.OPENING);
        assertThat(sent.at("/1/role").asText()).isEqualTo("assistant");
        assertThat(sent.at("/3/content")).as("blank text left out").hasSize(1);
        assertThat(sent.at("/3/content/0/id").asText()).isEqualTo("functions_get_weather_0");
        assertThat(sent.at("/3/content/0/input")).isEqualTo(Json.object());
        JsonNode last = sent.get(4).get("content");
        assertThat(last).as("two user turns merged, the tool result first").hasSize(2);
        assertThat(last.at("/0/type").asText()).isEqualTo("tool_result");
        assertThat(last.at("/0/tool_use_id").asText()).isEqualTo("functions_get_weather_0");
        assertThat(last.at("/0/is_error").asBoolean()).isTrue();
        assertThat(last.at("/0/content")).hasSize(2);
        assertThat(last.at("/0/content/1/source/type").asText()).isEqualTo("base64");
        assertThat(last.at("/1/text").asText()).isEqualTo("and be quick");
        assertThat(last.at("/1/cache_control/type").asText()).isEqualTo("ephemeral");
    }

    @Test
    void foreignReasoningIsLeftOutAndThinkingDroppedWhenTheToolTurnLosesIt() {
        List<Message> messages = List.of(HELLO.get(0),
                new Message(Role.ASSISTANT, List.of(new Block.Thinking("from gpt", GatewaySignatures.mint("openai", "rs_1")),
                        new Block.Thinking("unsigned", null),
                        new Block.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"))),
                new Message(Role.USER, List.of(new Block.ToolResult("call_1", List.of(new Block.Text("18C")), false))));

        JsonNode body = encode(request(messages, List.of(WEATHER), null, null, null, null, null, new Reasoning("high", null)),
                "claude-sonnet-4-5").body();

        assertThat(body.at("/messages/1/content")).hasSize(1);
        assertThat(body.at("/messages/1/content/0/type").asText()).isEqualTo("tool_use");
        assertThat(body.has("thinking")).isFalse();
    }

    @Test
    void genuineAndUnwrappedThinkingIsKept() {
        String wrapped = GatewaySignatures.mint("anthropic", "EqQBreal");
        List<Message> messages = List.of(HELLO.get(0),
                new Message(Role.ASSISTANT, List.of(new Block.Thinking("mine", wrapped), new Block.RedactedThinking("EmwK"),
                        new Block.ToolCall("toolu_1", "get_weather", "{}"))),
                new Message(Role.USER, List.of(new Block.ToolResult("toolu_1", List.of(), false))));

        JsonNode body = encode(request(messages, List.of(WEATHER), null, null, null, null, null, new Reasoning(null, 2048)),
                "claude-sonnet-4-5").body();

        assertThat(body.at("/messages/1/content/0")).isEqualTo(Json.object().put("type", "thinking").put("thinking", "mine")
                .put("signature", "EqQBreal"));
        assertThat(body.at("/messages/1/content/1/type").asText()).isEqualTo("redacted_thinking");
        assertThat(body.at("/messages/2/content/0").has("content")).as("an empty result goes without content").isFalse();
        assertThat(body.at("/thinking/budget_tokens").asInt()).isEqualTo(2048);
    }

    @Test
    void customToolsLongNamesAndStructuredOutput() {
        String longName = "mcp__server__" + "x".repeat(70);
        ToolDefinition patch = new ToolDefinition("apply_patch", "Edit files", null, null, true,
                Json.object().put("type", "grammar").put("syntax", "lark").put("definition", "start: x"));
        List<Message> messages = List.of(HELLO.get(0), new Message(Role.ASSISTANT, List.of(
                new Block.ToolCall("toolu_1", "apply_patch", "*** Begin Patch", true, null),
                new Block.ToolCall("toolu_2", longName, "{}"))));
        CanonicalRequest request = new CanonicalRequest("m", List.of(), messages,
                List.of(patch, ToolDefinition.function(longName, null, null)), null, null, null, null, null, null, null, null,
                new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, "answer", Json.object().put("type", "object"), true), false, null);

        JsonNode body = encode(request, "claude-sonnet-4-5").body();

        assertThat(body.at("/tools/0/input_schema/required/0").asText()).isEqualTo("input");
        assertThat(body.at("/tools/0/description").asText()).contains("lark grammar:\nstart: x");
        assertThat(body.at("/tools/1/name").asText()).hasSize(64).isEqualTo(ToolNames.of(request).upstream(longName));
        assertThat(body.at("/tools/1/input_schema/type").asText()).isEqualTo("object");
        assertThat(body.at("/messages/1/content/0/input")).isEqualTo(Json.object().put("input", "*** Begin Patch"));
        assertThat(body.at("/messages/1/content/1/name").asText()).isEqualTo(body.at("/tools/1/name").asText());
        assertThat(body.at("/output_config/format/type").asText()).isEqualTo("json_schema");
        assertThat(body.has("stream")).isFalse();
    }

    @Test
    void parallelCallsRecordedOneByOneGoBackIntoOneTurn() {
        List<Message> messages = List.of(HELLO.get(0),
                new Message(Role.ASSISTANT, List.of(new Block.Thinking("both", "EqQBsig"), new Block.ToolCall("toolu_p", "get_weather", "{}"))),
                new Message(Role.USER, List.of(new Block.ToolResult("toolu_p", List.of(new Block.Text("18C")), false))),
                new Message(Role.ASSISTANT, List.of(new Block.ToolCall("toolu_t", "get_weather", "{}"))),
                new Message(Role.USER, List.of(new Block.ToolResult("toolu_t", List.of(new Block.Text("25C")), false),
                        new Block.Text("Thanks"))),
                new Message(Role.ASSISTANT, List.of(new Block.Text("Done."))));

        JsonNode body = encode(request(messages, List.of(WEATHER), null, null, null, null, null, new Reasoning("low", null)),
                "claude-sonnet-4-5").body();

        JsonNode sent = body.get("messages");
        assertThat(sent).hasSize(4);
        assertThat(sent.at("/1/content")).extracting(b -> b.path("type").asText()).containsExactly("thinking", "tool_use", "tool_use");
        assertThat(sent.at("/2/content")).extracting(b -> b.path("type").asText()).containsExactly("tool_result", "tool_result", "text");
        assertThat(sent.at("/3/content/0/text").asText()).isEqualTo("Done.");
        assertThat(body.has("thinking")).isTrue();
    }
}
