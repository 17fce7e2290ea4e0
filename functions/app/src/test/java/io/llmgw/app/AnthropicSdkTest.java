package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.OverloadedException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official anthropic-java SDK as the client of the running app, in front of a fake upstream
 * shaped like an OpenAI-compatible server and like Azure OpenAI. Streams go through the SDK's own
 * {@link MessageAccumulator}, which rejects out-of-order indices, deltas into the wrong block
 * kind and missing message_start/message_stop.
 */
class AnthropicSdkTest {
    private static final String MODEL = "claude-sonnet-4-5";
    private static FakeUpstream upstream;
    private static TestGateway openAi;
    private static TestGateway azure;

    @BeforeAll
    static void start() {
        upstream = FakeUpstream.start();
        openAi = TestGateway.start(TestGateway.singleUpstream("openai", upstream.baseUrl()));
        azure = TestGateway.start(TestGateway.singleUpstream("azure-openai", upstream.baseUrl()));
    }

    @AfterAll
    static void stop() {
        openAi.close();
        azure.close();
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.clear();
    }

    private static AnthropicClient client(String providerType) {
        return (providerType.equals("azure-openai") ? azure : openAi).anthropic();
    }

    private static ChatScript quirks(String providerType, ChatScript script) {
        return providerType.equals("azure-openai") ? script.azureQuirks() : script;
    }

    private static MessageCreateParams.Builder ask(String text) {
        return MessageCreateParams.builder().model(MODEL).maxTokens(1024).addUserMessage(text);
    }

    static Tool tool(String name) {
        return Tool.builder().name(name).description("Look up " + name)
                .inputSchema(Tool.InputSchema.builder()
                        .properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .required(List.of("city")).build())
                .build();
    }

    static Message stream(AnthropicClient client, MessageCreateParams params) {
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params)) {
            stream.stream().forEach(accumulator::accumulate);
        }
        return accumulator.message();
    }

    static Map<?, ?> input(ToolUseBlock block) {
        return block._input().convert(Map.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "azure-openai"})
    void create(String providerType) {
        upstream.handler(quirks(providerType, ChatScript.text("Hello there!").usage(2460, 5).cachedTokens(2048)).handler());

        Message message = client(providerType).messages().create(ask("Say hello").system("You are terse.").build());

        assertThat(message.id()).startsWith("msg_");
        assertThat(message.model().asString()).isEqualTo(MODEL);
        assertThat(message.content()).singleElement().satisfies(b -> assertThat(b.asText().text()).isEqualTo("Hello there!"));
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertThat(message.usage().inputTokens()).isEqualTo(412);
        assertThat(message.usage().cacheReadInputTokens()).contains(2048L);
        assertThat(message.usage().outputTokens()).isEqualTo(5);
        JsonNode sent = upstream.lastRequest().json();
        assertThat(sent.get("model").asText()).isEqualTo("small-model");
        assertThat(sent.at("/messages/0/content").asText()).isEqualTo("You are terse.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "azure-openai"})
    void streamText(String providerType) {
        upstream.handler(quirks(providerType, ChatScript.text("Streaming, token by token — ünïcödé 😀.").chunkSize(3).usage(30, 12))
                .handler());

        Message message = stream(client(providerType), ask("Stream please").build());

        assertThat(message.content()).singleElement()
                .satisfies(b -> assertThat(b.asText().text()).isEqualTo("Streaming, token by token — ünïcödé 😀."));
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertThat(message.usage().inputTokens()).isEqualTo(30);
        assertThat(message.usage().outputTokens()).isEqualTo(12);
        assertThat(upstream.lastRequest().json().at("/stream_options/include_usage").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "azure-openai"})
    void streamOneTool(String providerType) {
        upstream.handler(quirks(providerType, ChatScript.empty().toolCall("call_w1", "get_weather", "{\"city\":\"Paris\"}")
                .argumentFragments(4)).handler());

        Message message = stream(client(providerType), ask("Weather in Paris?").addTool(tool("get_weather")).build());

        ToolUseBlock call = message.content().get(0).asToolUse();
        assertThat(message.content()).hasSize(1);
        assertThat(call.id()).isEqualTo("call_w1");
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(input(call)).isEqualTo(Map.of("city", "Paris"));
        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "azure-openai"})
    void streamParallelTools(String providerType) {
        upstream.handler(quirks(providerType, ChatScript.text("Checking both.").toolCall("call_a", "get_weather", "{\"city\":\"Paris\"}")
                .toolCall("call_b", "get_time", "{\"city\":\"Tokyo\"}").argumentFragments(3)).handler());

        Message message = stream(client(providerType), ask("Paris weather, Tokyo time").addTool(tool("get_weather"))
                .addTool(tool("get_time")).build());

        assertThat(message.content()).hasSize(3);
        assertThat(message.content().get(0).asText().text()).isEqualTo("Checking both.");
        assertThat(input(message.content().get(1).asToolUse())).isEqualTo(Map.of("city", "Paris"));
        assertThat(message.content().get(2).asToolUse().name()).isEqualTo("get_time");
        assertThat(input(message.content().get(2).asToolUse())).isEqualTo(Map.of("city", "Tokyo"));
        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "azure-openai"})
    void streamThinking(String providerType) {
        upstream.handler(quirks(providerType, ChatScript.text("391").reasoning("17*23 = 340 + 51 = 391.")).handler());

        Message message = stream(client(providerType), ask("17*23?").enabledThinking(2048).maxTokens(4096).build());

        assertThat(message.content()).hasSize(2);
        assertThat(message.content().get(0).asThinking().thinking()).isEqualTo("17*23 = 340 + 51 = 391.");
        assertThat(message.content().get(0).asThinking().signature()).startsWith("gw1.");
        assertThat(message.content().get(1).asText().text()).isEqualTo("391");
    }

    @Test
    void twoTurnToolLoop() {
        AnthropicClient client = client("azure-openai");
        upstream.enqueue(request -> ChatScript.text("Let me look.").toolCall("call_1", "get_weather", "{\"city\":\"Paris\"}")
                .reasoning("Need the tool.").azureQuirks().reply(request));
        upstream.enqueue(request -> ChatScript.text("22C and sunny in Paris.").azureQuirks().reply(request));
        MessageCreateParams first = ask("Weather in Paris?").addTool(tool("get_weather")).build();

        Message turn1 = stream(client, first);
        ToolUseBlock call = turn1.content().stream().filter(ContentBlock::isToolUse).findFirst().orElseThrow().asToolUse();
        MessageCreateParams second = first.toBuilder()
                .addMessage(turn1)
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
                        ToolResultBlockParam.builder().toolUseId(call.id()).content("22C and sunny").build())))
                .build();
        Message turn2 = client.messages().create(second);

        assertThat(turn2.content().get(0).asText().text()).isEqualTo("22C and sunny in Paris.");
        JsonNode messages = upstream.requests().get(1).json().get("messages");
        assertThat(messages).hasSize(3);  // the replayed thinking (gateway-signed) is not sent to the chat upstream
        assertThat(messages.get(1).get("content").asText()).isEqualTo("Let me look.");
        assertThat(messages.get(1).at("/tool_calls/0/id").asText()).isEqualTo("call_1");
        assertThat(messages.get(2).get("role").asText()).isEqualTo("tool");
        assertThat(messages.get(2).get("tool_call_id").asText()).isEqualTo("call_1");
        assertThat(messages.get(2).get("content").asText()).isEqualTo("22C and sunny");
    }

    @Test
    void countTokens() {
        AnthropicClient client = client("openai");
        MessageCountTokensParams params = MessageCountTokensParams.builder().model(MODEL).addUserMessage("Say hello")
                .addTool(tool("get_weather")).build();

        long plain = client.messages().countTokens(params).inputTokens();
        long beta = client.beta().messages().countTokens(com.anthropic.models.beta.messages.MessageCountTokensParams.builder()
                .model(MODEL).addUserMessage("Say hello").build()).inputTokens();

        assertThat(plain).isBetween(30L, 80L);
        assertThat(beta).isBetween(5L, 15L);
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void modelsListInAnthropicShape() {
        var page = client("openai").models().list();
        assertThat(page.data()).extracting(m -> m.id()).contains("gpt-4o", "small-model");
        assertThat(page.data().get(0).displayName()).isEqualTo("gpt-4o");
    }

    @Test
    void wrongKeyIs401() {
        assertThatThrownBy(() -> openAi.anthropic("wrong-key-0123456789abcdef0123456789abcdef").messages().create(ask("hi").build()))
                .isInstanceOfSatisfying(UnauthorizedException.class, e -> assertThat(e.statusCode()).isEqualTo(401));
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void unknownModelIs404() {
        assertThatThrownBy(() -> client("openai").messages().create(ask("hi").model("gemini-9-ultra").build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.getMessage()).contains("gemini-9-ultra"));
    }

    @Test
    void rateLimitCarriesRetryAfter() {
        upstream.enqueue(Reply.json(429, "{\"error\":{\"message\":\"Rate limit reached\",\"code\":\"rate_limit_exceeded\"}}")
                .header("retry-after", "7").header("x-ratelimit-remaining-requests", "0"));

        assertThatThrownBy(() -> stream(client("openai"), ask("hi").build()))
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.headers().values("retry-after")).containsExactly("7");
                    assertThat(e.getMessage()).contains("Rate limit reached");
                });
    }

    @Test
    void upstreamOverloadIs529() {
        // every attempt (the first and the gateway's retries) finds the upstream busy
        upstream.handler(request -> Reply.json(503, "{\"error\":{\"message\":\"The service is busy\"}}"));
        assertThatThrownBy(() -> client("azure-openai").messages().create(ask("hi").build()))
                .isInstanceOfSatisfying(OverloadedException.class, e -> assertThat(e.statusCode()).isEqualTo(529));
    }

    @Test
    void upstreamDyingMidStreamRaisesInTheSdk() {
        upstream.enqueue(request -> Reply.sse(ChatScript.text("a long partial answer").chunkSize(3).chunks(true)).resetAfterEvents(4));
        List<RawMessageStreamEvent> received = new ArrayList<>();

        assertThatThrownBy(() -> {
            try (StreamResponse<RawMessageStreamEvent> stream = client("openai").messages().createStreaming(ask("hi").build())) {
                stream.stream().forEach(received::add);
            }
        }).isInstanceOf(AnthropicException.class).hasMessageContaining("upstream connection was lost");
        assertThat(received).isNotEmpty();
        assertThat(received).noneMatch(RawMessageStreamEvent::isMessageStop);
    }

    @Test
    void upstreamRequestCarriesTheMappedSurface() {
        upstream.handler(ChatScript.text("ok").handler());
        // this SDK version no longer offers sampling setters; other clients still send them
        MessageCreateParams params = ask("hi").maxTokens(64000).putAdditionalBodyProperty("temperature", JsonValue.from(0.3))
                .putAdditionalBodyProperty("top_k", JsonValue.from(5)).addStopSequence("END").build();

        client("openai").messages().create(params);
        JsonNode sent = upstream.lastRequest().json();
        assertThat(sent.has("max_tokens")).as("above what an unknown model surely takes: left to the upstream").isFalse();
        assertThat(sent.get("temperature").asDouble()).isEqualTo(0.3);
        assertThat(sent.has("top_k")).isFalse();
        assertThat(sent.get("stop").get(0).asText()).isEqualTo("END");

        try (TestGateway ceiling = TestGateway.start(TestGateway.singleUpstream("openai", upstream.baseUrl())
                .replace("model: small-model }", "model: small-model, max_output_tokens: 8192 }"))) {
            ceiling.anthropic().messages().create(params);
        }
        assertThat(upstream.lastRequest().json().get("max_tokens").asInt()).as("clamped to the configured ceiling").isEqualTo(8192);
    }
}
