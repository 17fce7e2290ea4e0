package io.llmgw.app;

import static io.llmgw.app.SdkChat.ask;
import static io.llmgw.app.SdkChat.streamAndAccumulate;
import static io.llmgw.app.SdkChat.weatherTool;
import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import io.llmgw.testing.AnthropicStreams;
import io.llmgw.testing.ChatStreams;
import io.llmgw.testing.ResponsesStreams;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The mock provider behind the running app, with the official SDKs as clients: chat passed through,
 * Responses and Messages by translation. The SDKs' own parsers and accumulators judge every answer,
 * and the raw streams pass the strict grammar checkers of each dialect.
 */
class MockUpstreamSdkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WEATHER_PLEASE = "Please use the tool get_weather args {\"city\": \"Paris\"}";
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start("""
                auth:
                  keys: ["${GW_KEY}"]
                providers:
                  mock: { type: mock }
                models:
                  "*": { deployments: [{ provider: mock }] }
                """);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    // ---- OpenAI Chat Completions (passed through to the mock) ----------------------------------------

    @Test
    void chatCompletionEchoes() {
        ChatCompletion completion = gateway.openAi().chat().completions().create(ask("Hello there, mock").build());

        assertThat(completion.choices().get(0).message().content()).contains("You said: Hello there, mock");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.model()).isEqualTo("gpt-4o");
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(5);
        assertThat(completion.usage().orElseThrow().promptTokens()).isPositive();
    }

    @Test
    void chatStreamEchoesWordByWordWithUsage() {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        ChatCompletion completion = streamAndAccumulate(gateway.openAi(), ask("Hello there, mock")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build(), chunks);

        assertThat(completion.choices().get(0).message().content()).contains("You said: Hello there, mock");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(chunks.get(chunks.size() - 1).usage().orElseThrow().completionTokens()).isEqualTo(5);
        assertThat(chunks.stream().filter(c -> !c.choices().isEmpty() && c.choices().get(0).delta().content().isPresent()
                && !c.choices().get(0).delta().content().get().isEmpty())).hasSize(5);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void chatStreamPassesTheStrictGrammar(boolean includeUsage) {
        HttpResponse<String> response = gateway.postJsonWithKey("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"stream\":true,"
                + (includeUsage ? "\"stream_options\":{\"include_usage\":true}," : "")
                + "\"messages\":[{\"role\":\"user\",\"content\":\"one two three\"}]}");

        ChatStreams.Summary summary = ChatStreams.check(response.body(), includeUsage);
        assertThat(summary.content()).isEqualTo("You said: one two three");
        assertThat(summary.finishReason()).isEqualTo("stop");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void chatToolCallOnRequestThenTheToolResult(boolean stream) {
        OpenAIClient client = gateway.openAi();
        ChatCompletionCreateParams first = ask(WEATHER_PLEASE).addTool(weatherTool()).build();

        ChatCompletion turn1 = stream ? streamAndAccumulate(client, first) : client.chat().completions().create(first);
        List<ChatCompletionMessageToolCall> calls = turn1.choices().get(0).message().toolCalls().orElseThrow();
        assertThat(calls).singleElement().satisfies(call -> {
            assertThat(call.asFunction().function().name()).isEqualTo("get_weather");
            assertThat(call.asFunction().function().arguments()).isEqualTo("{\"city\":\"Paris\"}");
        });
        assertThat(turn1.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);

        ChatCompletionCreateParams second = first.toBuilder()
                .addMessage(turn1.choices().get(0).message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(calls.get(0).asFunction().id()).content("22C and sunny").build())
                .build();
        ChatCompletion turn2 = stream ? streamAndAccumulate(client, second) : client.chat().completions().create(second);

        assertThat(turn2.choices().get(0).message().content()).contains("The tool returned: 22C and sunny");
        assertThat(turn2.choices().get(0).message().toolCalls().orElse(List.of())).isEmpty();
        assertThat(turn2.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    }

    // ---- OpenAI Responses (translated onto chat) ------------------------------------------------------

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void responsesEcho(boolean stream) {
        ResponseCreateParams params = ResponseCreateParams.builder().model("gpt-5-codex").input("Hello there, mock").build();

        Response response = stream ? OpenAiSdkResponsesTest.stream(gateway.openAi(), params, new ArrayList<>())
                : gateway.openAi().responses().create(params).validate();

        assertThat(response.status()).contains(ResponseStatus.COMPLETED);
        assertThat(OpenAiSdkResponsesTest.text(response)).isEqualTo("You said: Hello there, mock");
        assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(5);
    }

    @Test
    void responsesStreamPassesTheStrictGrammar() throws Exception {
        HttpResponse<String> response = gateway.postJsonWithKey("/v1/responses",
                "{\"model\":\"gpt-5-codex\",\"stream\":true,\"input\":\"one two three\"}");

        JsonNode completed = ResponsesStreams.check(response.body());
        assertThat(completed.at("/output/0/content/0/text").asText()).isEqualTo("You said: one two three");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void responsesFunctionCallOnRequestThenItsOutput(boolean stream) {
        OpenAIClient client = gateway.openAi();
        EasyInputMessage question = EasyInputMessage.builder().role(EasyInputMessage.Role.USER).content(WEATHER_PLEASE).build();
        ResponseCreateParams first = ResponseCreateParams.builder().model("gpt-5-codex").addTool(OpenAiSdkResponsesTest.weatherTool())
                .inputOfResponse(List.of(ResponseInputItem.ofEasyInputMessage(question))).build();

        Response turn1 = stream ? OpenAiSdkResponsesTest.stream(client, first, new ArrayList<>()) : client.responses().create(first).validate();
        ResponseFunctionToolCall call = turn1.output().stream().filter(ResponseOutputItem::isFunctionCall)
                .map(ResponseOutputItem::asFunctionCall).findFirst().orElseThrow();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call.arguments()).isEqualTo("{\"city\":\"Paris\"}");

        List<ResponseInputItem> history = new ArrayList<>(List.of(ResponseInputItem.ofEasyInputMessage(question)));
        turn1.output().stream().filter(ResponseOutputItem::isMessage)
                .forEach(m -> history.add(ResponseInputItem.ofResponseOutputMessage(m.asMessage())));
        history.add(ResponseInputItem.ofFunctionCall(call));
        history.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                .callId(call.callId()).output("22C and sunny").build()));
        ResponseCreateParams second = first.toBuilder().inputOfResponse(history).build();
        Response turn2 = stream ? OpenAiSdkResponsesTest.stream(client, second, new ArrayList<>()) : client.responses().create(second).validate();

        assertThat(OpenAiSdkResponsesTest.text(turn2)).isEqualTo("The tool returned: 22C and sunny");
        assertThat(turn2.output()).noneMatch(ResponseOutputItem::isFunctionCall);
    }

    // ---- Anthropic Messages (translated onto chat) ----------------------------------------------------

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void messagesEcho(boolean stream) {
        MessageCreateParams params = MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(1024)
                .addUserMessage("Hello there, mock").build();
        AnthropicClient client = gateway.anthropic();

        Message message = stream ? AnthropicSdkTest.stream(client, params) : client.messages().create(params);

        assertThat(message.content()).singleElement().satisfies(b -> assertThat(b.asText().text()).isEqualTo("You said: Hello there, mock"));
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertThat(message.model().asString()).isEqualTo("claude-sonnet-4-5");
        assertThat(message.usage().outputTokens()).isEqualTo(5);
    }

    @Test
    void messagesMaxTokensStopsTheEcho() {
        Message message = gateway.anthropic().messages().create(MessageCreateParams.builder().model("claude-haiku-4-5").maxTokens(2)
                .addUserMessage("one two three").build());

        assertThat(message.content().get(0).asText().text()).isEqualTo("You said:");
        assertThat(message.stopReason()).contains(StopReason.MAX_TOKENS);
    }

    @Test
    void messagesStreamPassesTheStrictGrammar() {
        HttpResponse<String> response = gateway.postJson("/v1/messages", "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,"
                + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"one two three\"}]}",
                "x-api-key", TestGateway.GATEWAY_KEY, "anthropic-version", "2023-06-01");

        AnthropicStreams.Summary summary = AnthropicStreams.check(response.body());
        assertThat(summary.error()).isNull();
        assertThat(summary.blocks()).singleElement().satisfies(b -> assertThat(b.text()).isEqualTo("You said: one two three"));
        assertThat(summary.stopReason()).isEqualTo("end_turn");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void messagesToolUseOnRequestThenTheToolResult(boolean stream) {
        AnthropicClient client = gateway.anthropic();
        MessageCreateParams first = MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(1024)
                .addTool(AnthropicSdkTest.tool("get_weather")).addUserMessage(WEATHER_PLEASE).build();

        Message turn1 = stream ? AnthropicSdkTest.stream(client, first) : client.messages().create(first);
        assertThat(turn1.content()).hasSize(2);
        assertThat(turn1.content().get(0).asText().text()).isEqualTo("Calling get_weather.");
        ToolUseBlock call = turn1.content().get(1).asToolUse();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(AnthropicSdkTest.input(call)).isEqualTo(Map.of("city", "Paris"));
        assertThat(turn1.stopReason()).contains(StopReason.TOOL_USE);

        MessageCreateParams second = first.toBuilder().addMessage(turn1)
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
                        ToolResultBlockParam.builder().toolUseId(call.id()).content("22C and sunny").build())))
                .build();
        Message turn2 = stream ? AnthropicSdkTest.stream(client, second) : client.messages().create(second);

        assertThat(turn2.content()).singleElement()
                .satisfies(b -> assertThat(b.asText().text()).isEqualTo("The tool returned: 22C and sunny"));
        assertThat(turn2.stopReason()).contains(StopReason.END_TURN);
    }

    // ---- what else a client sees -------------------------------------------------------------------

    @Test
    void onlyGatewayKeysReachTheMockAndTheConfigViewShowsIt() throws Exception {
        HttpResponse<String> wrongKey = gateway.postJson("/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "authorization", "Bearer sk-some-other-key-0123456789abcdef0123");
        HttpResponse<String> view = gateway.send("GET", "/config", null, "authorization", "Bearer " + TestGateway.GATEWAY_KEY);

        assertThat(wrongKey.statusCode()).isEqualTo(401);
        JsonNode config = JSON.readTree(view.body());
        assertThat(config.at("/auth/mode").asText()).isEqualTo("gateway");
        assertThat(config.at("/providers/mock/type").asText()).isEqualTo("mock");
        assertThat(gateway.send("GET", "/health/ready", null).statusCode()).isEqualTo(200);
    }
}
