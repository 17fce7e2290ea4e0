package io.llmgw.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayException;
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
import io.llmgw.core.protocol.anthropic.GatewaySignatures;
import io.llmgw.core.spi.Deployment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Converse body for what the golden cases do not show: other model families, other thinking forms, edge content. */
class ConverseRequestEncoderTest {
    private static final String CLAUDE = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    private static final String OPUS_4_6 = "global.anthropic.claude-opus-4-6-v1";
    private static final String LLAMA = "meta.llama3-3-70b-instruct-v1:0";
    private static final ToolDefinition WEATHER = ToolDefinition.function("get_weather", "Weather for a city",
            Json.object().put("type", "object"));

    private static Deployment deployment(String model) {
        return new Deployment(null, model, null, null, 1, null, null, null, "aws/" + model);
    }

    private static CanonicalRequest request(List<Message> messages, List<ToolDefinition> tools, ToolChoice choice, Reasoning reasoning,
                                            Double temperature, Integer topK, ResponseFormat format) {
        return new CanonicalRequest("m", null, messages, tools, choice, null, null, temperature, null, topK, null, reasoning, format,
                false, null);
    }

    private static List<Message> ask(Block... blocks) {
        return List.of(new Message(Role.USER, List.of(blocks)));
    }

    private static ObjectNode encode(CanonicalRequest request, String model) {
        return ConverseRequestEncoder.encode(request, deployment(model), ToolNames.of(request));
    }

    @Test
    void claude46ThinksAdaptivelyWithAnEffortAndNoBudget() {
        ObjectNode body = encode(request(ask(new Block.Text("Plan it.")), List.of(WEATHER), null, new Reasoning("high", null), null, null,
                null), OPUS_4_6);

        assertThat(body.at("/additionalModelRequestFields/thinking/type").asText()).isEqualTo("adaptive");
        assertThat(body.at("/additionalModelRequestFields/output_config/effort").asText()).isEqualTo("high");
        assertThat(body.at("/additionalModelRequestFields").has("anthropic_beta")).isFalse();
        assertThat(body.at("/inferenceConfig/maxTokens").asInt()).isEqualTo(ModelFamily.CLAUDE_DEFAULT_MAX_TOKENS);
    }

    @Test
    void aForcedToolIsRelaxedToAutoWhileClaudeThinks() {
        ObjectNode forced = encode(request(ask(new Block.Text("Weather?")), List.of(WEATHER), ToolChoice.tool("get_weather"),
                null, null, null, null), CLAUDE);
        ObjectNode thinking = encode(request(ask(new Block.Text("Weather?")), List.of(WEATHER), ToolChoice.tool("get_weather"),
                new Reasoning("low", null), null, null, null), CLAUDE);

        assertThat(forced.at("/toolConfig/toolChoice/tool/name").asText()).isEqualTo("get_weather");
        assertThat(thinking.at("/toolConfig/toolChoice").has("auto")).isTrue();
        assertThat(thinking.at("/additionalModelRequestFields/thinking/budget_tokens").asInt()).isEqualTo(1024);
    }

    @Test
    void noToolChoiceLeavesTheToolsOutUnlessTheConversationUsesThem() {
        ObjectNode fresh = encode(request(ask(new Block.Text("Hi")), List.of(WEATHER), ToolChoice.NONE, null, null, null, null), CLAUDE);
        List<Message> history = List.of(
                new Message(Role.USER, List.of(new Block.Text("Weather?"))),
                new Message(Role.ASSISTANT, List.of(new Block.ToolCall("call_1", "get_weather", "{\"city\":\"Oslo\"}"))),
                new Message(Role.USER, List.of(new Block.ToolResult("call_1", List.of(new Block.Text("3C")), false))));
        ObjectNode continued = encode(request(history, List.of(WEATHER), ToolChoice.NONE, null, null, null, null), CLAUDE);

        assertThat(fresh.has("toolConfig")).isFalse();
        assertThat(continued.at("/toolConfig/tools/0/toolSpec/name").asText()).isEqualTo("get_weather");
        assertThat(continued.at("/toolConfig").has("toolChoice")).as("Converse has no 'none'").isFalse();
    }

    @Test
    void otherFamiliesGetNoClaudeFields() {
        List<Message> history = List.of(
                new Message(Role.USER, List.of(new Block.Text("Weather?"))),
                new Message(Role.ASSISTANT, List.of(new Block.ToolCall("call_1", "get_weather", "{}"))),
                new Message(Role.USER, List.of(new Block.ToolResult("call_1", List.of(new Block.Text("failed")), true))));
        ObjectNode body = encode(request(history, List.of(WEATHER), ToolChoice.AUTO, new Reasoning("high", null), 1.7, 40, null), LLAMA);

        assertThat(body.has("additionalModelRequestFields")).as("no thinking, no top_k").isFalse();
        assertThat(body.at("/messages/2/content/0/toolResult").has("status")).as("status is Claude's and Nova's").isFalse();
        assertThat(body.at("/inferenceConfig/temperature").asDouble()).as("Converse takes 0 to 1").isEqualTo(1.0);
        assertThat(body.at("/inferenceConfig").has("maxTokens")).as("the model's own default").isFalse();
        assertThat(body.toString()).doesNotContain("cachePoint");
    }

    @Test
    void onlyBedrocksOwnSignedReasoningGoesBack() {
        Block bedrock = new Block.Thinking("mine", GatewaySignatures.mint("bedrock", "sig-from-bedrock"));
        Block anthropic = new Block.Thinking("theirs", GatewaySignatures.mint("anthropic", "sig-from-anthropic"));
        Block raw = new Block.Thinking("raw", "raw-signature");
        Block openAi = new Block.Thinking("openai", "gAAAAABencrypted");
        Block unsigned = new Block.Thinking("chat", null);
        Block redacted = new Block.RedactedThinking("redacted-data");
        List<Message> history = List.of(
                new Message(Role.USER, List.of(new Block.Text("Go."))),
                new Message(Role.ASSISTANT, List.of(anthropic, openAi, unsigned, bedrock, raw, redacted, new Block.Text("Done."))),
                new Message(Role.USER, List.of(new Block.Text("Again."))));

        JsonNode assistant = encode(request(history, null, null, null, null, null, null), CLAUDE).at("/messages/1/content");

        assertThat(assistant).hasSize(4);
        assertThat(assistant.at("/0/reasoningContent/reasoningText/signature").asText()).isEqualTo("sig-from-bedrock");
        assertThat(assistant.at("/1/reasoningContent/reasoningText/signature").asText()).isEqualTo("raw-signature");
        assertThat(assistant.at("/2/reasoningContent/redactedContent").asText()).isEqualTo("redacted-data");
        assertThat(assistant.at("/3/text").asText()).isEqualTo("Done.");
    }

    @Test
    void aConversationOpeningWithTheAssistantGetsAUserTurnFirst() {
        List<Message> history = List.of(new Message(Role.ASSISTANT, List.of(new Block.Text("How can I help?"))),
                new Message(Role.USER, List.of(new Block.Text("  "))), new Message(Role.USER, List.of(new Block.Text("Hi"))));

        JsonNode messages = encode(request(history, null, null, null, null, null, null), LLAMA).get("messages");

        assertThat(messages).hasSize(3);
        assertThat(messages.at("/0/role").asText()).isEqualTo("user");
        assertThat(messages.at("/0/content/0/text").asText()).isEqualTo(ConverseMessages.OPENING);
        assertThat(messages.at("/2/content")).as("blank text left out").hasSize(1);
    }

    @Test
    void aJsonSchemaBecomesTheOutputConfigAsAString() {
        ObjectNode schema = Json.object().put("type", "object");
        ObjectNode body = encode(request(ask(new Block.Text("Extract.")), null, null, null, null, null,
                new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, "person", schema, true)), CLAUDE);

        assertThat(body.at("/outputConfig/textFormat/type").asText()).isEqualTo("json_schema");
        assertThat(body.at("/outputConfig/textFormat/structure/jsonSchema/schema").asText()).isEqualTo("{\"type\":\"object\"}");
        assertThat(body.at("/outputConfig/textFormat/structure/jsonSchema/name").asText()).isEqualTo("person");
    }

    @Test
    void longToolNamesAreShortenedAndCustomToolsTakeOneStringArgument() {
        String mcp = "mcp__github__create_pull_request_review_comment_with_suggestions_and_more";
        ToolDefinition patch = new ToolDefinition("apply_patch", "Applies a patch", null, null, true, null);
        List<Message> history = List.of(new Message(Role.USER, List.of(new Block.Text("Fix it."))),
                new Message(Role.ASSISTANT, List.of(new Block.ToolCall("call_1", "apply_patch", "*** Begin Patch", true, null))),
                new Message(Role.USER, List.of(new Block.ToolResult("call_1", List.of(new Block.Text("ok")), false))));
        CanonicalRequest request = request(history, List.of(ToolDefinition.function(mcp, "Comments", null), patch), null, null, null,
                null, null);

        ObjectNode body = encode(request, CLAUDE);

        String shortened = body.at("/toolConfig/tools/0/toolSpec/name").asText();
        assertThat(shortened).hasSizeLessThanOrEqualTo(64).isNotEqualTo(mcp);
        assertThat(ToolNames.of(request).client(shortened)).isEqualTo(mcp);
        assertThat(body.at("/toolConfig/tools/1/toolSpec/inputSchema/json/required/0").asText()).isEqualTo("input");
        assertThat(body.at("/messages/1/content/0/toolUse/input/input").asText()).isEqualTo("*** Begin Patch");
    }

    @Test
    void mediaBedrockCannotTakeIsTheClientsNamed400() {
        assertThatThrownBy(() -> encode(request(ask(new Block.Image(null, null, "https://example.com/cat.png", null)), null, null, null,
                null, null, null), CLAUDE)).isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.error().kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
                    assertThat(e.error().message()).contains("not by URL");
                });
        assertThatThrownBy(() -> encode(request(ask(new Block.Image("image/tiff", "AAAA", null, null)), null, null, null, null, null,
                null), CLAUDE)).isInstanceOfSatisfying(GatewayException.class,
                        e -> assertThat(e.error().message()).contains("not image/tiff"));
        assertThatThrownBy(() -> encode(request(ask(new Block.Document(null, null, null, "https://example.com/a.pdf", "A", null)), null,
                null, null, null, null, null), CLAUDE)).isInstanceOfSatisfying(GatewayException.class,
                        e -> assertThat(e.error().message()).contains("documents inline"));
    }
}
