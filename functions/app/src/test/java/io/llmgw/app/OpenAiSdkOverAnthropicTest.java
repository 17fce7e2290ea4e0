package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.Reasoning;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.ReasoningEffort;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseIncludable;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseReasoningItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import io.llmgw.testing.AnthropicScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.RecordedRequest;
import io.llmgw.testing.Reply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * openai-java — its Responses API and its chat API — in front of the running app, served by a fake
 * Anthropic upstream (docs/protocol-mapping.md#responses-request and
 * docs/protocol-mapping.md#upstream-anthropic-request on the way in, docs/protocol-mapping.md#responses-stream
 * on the way back). Events go through the SDK's validation and its accumulators; Responses reasoning comes back
 * as items carrying Anthropic's signature, which the next turn returns to Anthropic.
 */
class OpenAiSdkOverAnthropicTest extends SdkAgainstFakeUpstream {
    private static final String SIGNATURE = "EqQBCkgIBRABGAIiQJ3dXl0mJ8ZkS0rWn7CeQ4u1d2bI3xTq0gS1c5kUe8d6n9yF6pQ1zL8wA5rV0mN2hK4tC7xY3jB9sE1";
    private OpenAIClient client;

    @BeforeEach
    void start() {
        upstream = FakeUpstream.start();
        gateway = TestGateway.start("""
                auth: { mode: gateway, keys: ["${GW_KEY}"] }
                providers:
                  claude: { type: anthropic, base_url: "%s", api_key: "${UP_KEY}", timeout: 5s }
                models:
                  "claude-*": { deployments: [ { provider: claude, model: claude-sonnet-4-5-20250929 } ] }
                """.formatted(upstream.baseUrl()));
        client = gateway.openAi();
    }

    private static final EasyInputMessage QUESTION = EasyInputMessage.builder().role(EasyInputMessage.Role.USER)
            .content("Weather in Paris and Tokyo?").build();

    private static ResponseCreateParams.Builder ask() {
        return ResponseCreateParams.builder().model("claude-sonnet-4-5").instructions("Use the tools.").addTool(OpenAiSdkResponsesTest.weatherTool())
                .reasoning(Reasoning.builder().effort(ReasoningEffort.MEDIUM).build())
                .addInclude(ResponseIncludable.REASONING_ENCRYPTED_CONTENT)
                .inputOfResponse(List.of(ResponseInputItem.ofEasyInputMessage(QUESTION)));
    }

    private Response stream(ResponseCreateParams params) {
        ResponseAccumulator accumulator = ResponseAccumulator.createWithSnapshots();
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params)) {
            stream.stream().forEach(event -> accumulator.accumulate(event.validate()));
        }
        Response response = accumulator.response().validate();
        assertThat(accumulator.reconstructedResponse().output()).as("output rebuilt from the item events").isEqualTo(response.output());
        return response;
    }

    @Test
    void streamingWithToolsAndTheNextTurn() {
        upstream.enqueue(AnthropicScript.empty().thinking("Two cities: call the tool twice.", SIGNATURE).andText("Checking.")
                .toolUse("toolu_01P", "get_weather", "{\"city\":\"Paris\"}").toolUse("toolu_01T", "get_weather", "{\"city\":\"Tokyo\"}")
                .usage(40, 90).cache(1000, 0)::reply);
        upstream.enqueue(AnthropicScript.text("18C in Paris, 25C in Tokyo.").usage(60, 12)::reply);

        Response first = stream(ask().build());

        assertThat(first.status()).contains(ResponseStatus.COMPLETED);
        List<ResponseOutputItem> output = first.output();
        ResponseReasoningItem reasoning = output.get(0).asReasoning();
        assertThat(reasoning.summary().get(0).text()).isEqualTo("Two cities: call the tool twice.");
        assertThat(reasoning.encryptedContent()).contains(SIGNATURE);
        assertThat(output.get(1).asMessage().content().get(0).asOutputText().text()).isEqualTo("Checking.");
        List<ResponseFunctionToolCall> calls = output.stream().filter(ResponseOutputItem::isFunctionCall)
                .map(ResponseOutputItem::asFunctionCall).toList();
        assertThat(calls).extracting(ResponseFunctionToolCall::callId).containsExactly("toolu_01P", "toolu_01T");
        assertThat(calls.get(1).arguments()).isEqualTo("{\"city\":\"Tokyo\"}");
        assertThat(first.usage().orElseThrow().inputTokens()).isEqualTo(1040);
        assertThat(first.usage().orElseThrow().inputTokensDetails().cachedTokens()).isEqualTo(1000);
        JsonNode sent = upstream.requests().get(0).json();
        assertThat(sent.get("model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(sent.at("/system/0/text").asText()).isEqualTo("Use the tools.");
        assertThat(sent.at("/tools/0/input_schema/required/0").asText()).isEqualTo("city");
        assertThat(sent.at("/thinking/budget_tokens").asInt()).isEqualTo(8192);
        assertThat(sent.get("stream").asBoolean()).isTrue();

        List<ResponseInputItem> history = new ArrayList<>();
        history.add(ResponseInputItem.ofEasyInputMessage(QUESTION));
        history.add(ResponseInputItem.ofReasoning(reasoning));
        history.add(ResponseInputItem.ofResponseOutputMessage(output.get(1).asMessage()));
        for (ResponseFunctionToolCall call : calls) {
            history.add(ResponseInputItem.ofFunctionCall(call));
            history.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder().callId(call.callId())
                    .output(call.arguments().contains("Paris") ? "18C" : "25C").build()));
        }
        Response second = client.responses().create(ask().inputOfResponse(history).build()).validate();

        assertThat(second.output().get(0).asMessage().content().get(0).asOutputText().text()).isEqualTo("18C in Paris, 25C in Tokyo.");
        RecordedRequest replay = upstream.requests().get(1);
        JsonNode messages = replay.json().get("messages");
        assertThat(messages).hasSize(3);
        JsonNode assistant = messages.get(1).get("content");
        assertThat(assistant.at("/0/type").asText()).isEqualTo("thinking");
        assertThat(assistant.at("/0/signature").asText()).isEqualTo(SIGNATURE);
        assertThat(assistant.at("/0/thinking").asText()).isEqualTo("Two cities: call the tool twice.");
        assertThat(assistant.at("/1/text").asText()).isEqualTo("Checking.");
        assertThat(assistant.at("/2/id").asText()).isEqualTo("toolu_01P");
        assertThat(assistant.at("/3/input/city").asText()).isEqualTo("Tokyo");
        JsonNode results = messages.get(2).get("content");
        assertThat(results).hasSize(2);
        assertThat(results.at("/1/tool_use_id").asText()).isEqualTo("toolu_01T");
        assertThat(replay.json().has("thinking")).as("the replayed turn starts with its signed thinking").isTrue();
    }

    @Test
    void anthropicErrorsAreTheSdksOwnExceptions() {
        upstream.enqueue(Reply.json(429, AnthropicScript.errorBody("rate_limit_error", "Number of requests has exceeded your rate limit"))
                .header("retry-after", "30"));

        assertThatThrownBy(() -> client.responses().createStreaming(ask().build()).stream().count())
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.headers().values("retry-after")).containsExactly("30");
                    assertThat(e.code()).contains("rate_limit_exceeded");
                });

        List<String> frames = new ArrayList<>(AnthropicScript.text("Partial answer").frames().subList(0, 3));
        frames.add(AnthropicScript.errorFrame("overloaded_error", "Overloaded"));
        upstream.enqueue(Reply.rawSse(frames));
        Response failed = stream(ask().build());
        assertThat(failed.status()).contains(ResponseStatus.FAILED);
        assertThat(failed.error().orElseThrow().message()).isEqualTo("Overloaded");
    }

    /** The chat SDK over Anthropic (docs/protocol-mapping.md#chat-stream): golden scenario 7 read by openai-java's own accumulator. */
    @Test
    void chatStreamingWithToolsAndTheNextTurn() {
        upstream.enqueue(AnthropicScript.empty().thinking("Two cities: call the tool twice.", SIGNATURE).andText("Checking both.")
                .toolUse("toolu_01P", "get_weather", "{\"city\":\"Paris\"}").toolUse("toolu_01T", "get_weather", "{\"city\":\"Tokyo\"}")
                .usage(40, 90)::reply);
        upstream.enqueue(AnthropicScript.text("18C in Paris, 25C in Tokyo.")::reply);
        ChatCompletionCreateParams first = ChatCompletionCreateParams.builder().model("claude-sonnet-4-5")
                .addSystemMessage("Use the tools.").addUserMessage("Weather in Paris and Tokyo?").addTool(SdkChat.weatherTool())
                .reasoningEffort(ReasoningEffort.LOW).maxCompletionTokens(4000).build();

        List<ChatCompletionChunk> chunks = new ArrayList<>();
        ChatCompletion completion = SdkChat.streamAndAccumulate(client, first, chunks);

        ChatCompletionMessage message = completion.choices().get(0).message();
        assertThat(message.content()).contains("Checking both.");
        assertThat(message.toolCalls().orElseThrow()).extracting(c -> c.asFunction().id()).containsExactly("toolu_01P", "toolu_01T");
        assertThat(message.toolCalls().orElseThrow()).extracting(c -> c.asFunction().function().arguments())
                .containsExactly("{\"city\":\"Paris\"}", "{\"city\":\"Tokyo\"}");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(chunks.get(0).choices().get(0).delta().role()).hasValue(ChatCompletionChunk.Choice.Delta.Role.ASSISTANT);
        JsonNode sent = upstream.requests().get(0).json();
        assertThat(sent.at("/system/0/text").asText()).isEqualTo("Use the tools.");
        assertThat(sent.get("max_tokens").asInt()).isEqualTo(4000);
        assertThat(sent.at("/thinking/budget_tokens").asInt()).isEqualTo(1024);
        assertThat(sent.at("/tools/0/input_schema/required/0").asText()).isEqualTo("city");

        ChatCompletion answer = client.chat().completions().create(SdkChat.weatherAnswered(first, message));

        assertThat(answer.choices().get(0).message().content()).contains("18C in Paris, 25C in Tokyo.");
        JsonNode replay = upstream.requests().get(1).json();
        assertThat(replay.at("/messages/1/content")).extracting(b -> b.path("type").asText())
                .containsExactly("text", "tool_use", "tool_use");
        assertThat(replay.at("/messages/2/content")).extracting(b -> b.path("tool_use_id").asText())
                .containsExactly("toolu_01P", "toolu_01T");
        assertThat(replay.has("thinking")).as("chat keeps no signature, so the tool turn has no thinking: off rather than a 400")
                .isFalse();
    }
}
