package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.CustomTool;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseCustomToolCall;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.StructuredResponse;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.RecordedRequest;
import io.llmgw.testing.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * openai-java's Responses API as the client of the running app, in front of chat-completions
 * upstreams shaped like OpenAI and like Azure OpenAI. Every response and event goes through the
 * SDK's own validation, and streams through its {@link ResponseAccumulator}, which rebuilds the
 * response from the item events and must agree with the terminal event.
 */
class OpenAiSdkResponsesTest extends SdkAgainstFakeUpstream {
    private static ResponseCreateParams.Builder ask(String text) {
        return ResponseCreateParams.builder().model("gpt-4o").input(text);
    }

    /** A {@code get_weather(city)} function tool, not strict. */
    static FunctionTool weatherTool() {
        return FunctionTool.builder().name("get_weather").description("Current weather for a city").strict(false)
                .parameters(FunctionTool.Parameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .build())
                .build();
    }

    /** Streams {@code params}, validating each event; returns the accumulator's final response after checking it. */
    static Response stream(OpenAIClient client, ResponseCreateParams params, List<ResponseStreamEvent> events) {
        ResponseAccumulator accumulator = ResponseAccumulator.createWithSnapshots();
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params)) {
            stream.stream().forEach(event -> {
                event.validate();
                events.add(event);
                accumulator.accumulate(event);
            });
        }
        Response response = accumulator.response().validate();
        assertThat(accumulator.reconstructedResponse().output()).as("output rebuilt from the item events").isEqualTo(response.output());
        return response;
    }

    static String text(Response response) {
        StringBuilder text = new StringBuilder();
        response.output().stream().flatMap(item -> item.message().stream())
                .flatMap(message -> message.content().stream())
                .forEach(content -> content.outputText().ifPresent(t -> text.append(t.text())));
        return text.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "azure-openai"})
    void create(String providerType) {
        OpenAIClient client = start(providerType);
        upstream.handler(quirks(providerType, ChatScript.text("Hello there!").usage(31, 4).cachedTokens(8)).handler());

        Response response = client.responses().create(ask("Say hello").instructions("Be terse.").maxOutputTokens(100).build()).validate();

        assertThat(response.status()).contains(ResponseStatus.COMPLETED);
        assertThat(text(response)).isEqualTo("Hello there!");
        assertThat(response.id()).startsWith("resp_");
        assertThat(response.model().toString()).contains("gpt-4o").doesNotContain("prod");
        assertThat(response.usage().orElseThrow().inputTokens()).isEqualTo(31);
        assertThat(response.usage().orElseThrow().inputTokensDetails().cachedTokens()).isEqualTo(8);
        assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(4);
        assertThat(response.usage().orElseThrow().totalTokens()).isEqualTo(35);
        JsonNode sent = upstream.lastRequest().json();
        assertThat(sent.get("model").asText()).isEqualTo("gpt-4o-prod");
        assertThat(sent.at("/messages/0/role").asText()).isEqualTo("system");
        assertThat(sent.at("/messages/0/content").asText()).isEqualTo("Be terse.");
        assertThat(sent.at("/messages/1/content").asText()).isEqualTo("Say hello");
        assertThat(sent.has("stream")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "azure-openai"})
    void streamWithReasoning(String providerType) {
        OpenAIClient client = start(providerType);
        upstream.handler(quirks(providerType, ChatScript.text("Streaming works fine.").reasoning("Think first.").chunkSize(3)
                .usage(40, 6)).handler());

        List<ResponseStreamEvent> events = new ArrayList<>();
        Response response = stream(client, ask("Go").build(), events);

        assertThat(response.status()).contains(ResponseStatus.COMPLETED);
        assertThat(text(response)).isEqualTo("Streaming works fine.");
        assertThat(response.output().get(0).reasoning().orElseThrow().summary().get(0).text()).isEqualTo("Think first.");
        assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(6);
        assertThat(events.get(0).isCreated()).isTrue();
        assertThat(events.get(1).isInProgress()).isTrue();
        assertThat(events.stream().filter(ResponseStreamEvent::isOutputTextDelta).count()).isEqualTo(7);
        assertThat(events.get(events.size() - 1).isCompleted()).isTrue();
        assertThat(upstream.lastRequest().json().at("/stream_options/include_usage").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "azure-openai"})
    void twoTurnFunctionToolLoop(String providerType) {
        OpenAIClient client = start(providerType);
        upstream.enqueue(quirks(providerType, ChatScript.text("Let me check.").toolCall("call_w1", "get_weather", "{\"city\":\"Paris\"}"))::reply);
        upstream.enqueue(quirks(providerType, ChatScript.text("It is 22C and sunny in Paris."))::reply);
        EasyInputMessage question = EasyInputMessage.builder().role(EasyInputMessage.Role.USER).content("Weather in Paris?").build();

        Response first = stream(client, ResponseCreateParams.builder().model("gpt-4o").addTool(weatherTool())
                .inputOfResponse(List.of(ResponseInputItem.ofEasyInputMessage(question))).build(), new ArrayList<>());
        ResponseFunctionToolCall call = first.output().stream().filter(ResponseOutputItem::isFunctionCall)
                .map(ResponseOutputItem::asFunctionCall).findFirst().orElseThrow();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call.callId()).isEqualTo("call_w1");
        assertThat(call.arguments()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(call.id()).hasValueSatisfying(id -> assertThat(id).startsWith("fc_"));

        List<ResponseInputItem> history = new ArrayList<>();
        history.add(ResponseInputItem.ofEasyInputMessage(question));
        first.output().stream().filter(ResponseOutputItem::isMessage)
                .forEach(m -> history.add(ResponseInputItem.ofResponseOutputMessage(m.asMessage())));
        history.add(ResponseInputItem.ofFunctionCall(call));
        history.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                .callId(call.callId()).output("22C and sunny").build()));
        Response second = client.responses().create(ResponseCreateParams.builder().model("gpt-4o").addTool(weatherTool())
                .inputOfResponse(history).build()).validate();

        assertThat(text(second)).isEqualTo("It is 22C and sunny in Paris.");
        JsonNode messages = upstream.lastRequest().json().get("messages");
        assertThat(messages).hasSize(3);
        assertThat(messages.at("/1/role").asText()).isEqualTo("assistant");
        assertThat(messages.at("/1/content").asText()).isEqualTo("Let me check.");
        assertThat(messages.at("/1/tool_calls/0/id").asText()).isEqualTo("call_w1");
        assertThat(messages.at("/1/tool_calls/0/function/arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(messages.at("/2/role").asText()).isEqualTo("tool");
        assertThat(messages.at("/2/tool_call_id").asText()).isEqualTo("call_w1");
        assertThat(messages.at("/2/content").asText()).isEqualTo("22C and sunny");
        JsonNode tool = upstream.lastRequest().json().at("/tools/0/function");
        assertThat(tool.get("name").asText()).isEqualTo("get_weather");
        assertThat(tool.get("strict").asBoolean(true)).isFalse();
    }

    @Test
    void customToolCallComesBackWithItsRawInput() throws Exception {
        OpenAIClient client = start("openai");
        String patch = "*** Begin Patch\n*** Add File: a.txt\n+\"quoted\" \u00e9\n*** End Patch\n";
        upstream.handler(ChatScript.empty().toolCall("call_p1", "apply_patch", new ObjectMapper().writeValueAsString(Map.of("input", patch)))
                .argumentFragments(7).handler());

        List<ResponseStreamEvent> events = new ArrayList<>();
        Response response = stream(client, ask("Create a.txt").addTool(CustomTool.builder().name("apply_patch")
                .description("Edit files with a patch.").build()).build(), events);

        ResponseCustomToolCall call = response.output().get(0).asCustomToolCall();
        assertThat(call.name()).isEqualTo("apply_patch");
        assertThat(call.callId()).isEqualTo("call_p1");
        assertThat(call.input()).isEqualTo(patch);
        StringBuilder streamed = new StringBuilder();
        events.stream().flatMap(e -> e.customToolCallInputDelta().stream()).forEach(d -> streamed.append(d.delta()));
        assertThat(streamed).hasToString(patch);
        assertThat(events.stream().filter(ResponseStreamEvent::isCustomToolCallInputDone)).hasSize(1);
        assertThat(upstream.lastRequest().json().at("/tools/0/function/parameters/required/0").asText()).isEqualTo("input");
    }

    /** The SDK derives a strict json_schema from the class and parses the output text back into it. */
    static final class Weather {
        public String city;
        public double temperature;
    }

    @Test
    void jsonSchemaOutput() {
        OpenAIClient client = start("openai");
        upstream.handler(ChatScript.text("{\"city\":\"Paris\",\"temperature\":21.5}").handler());

        StructuredResponse<Weather> response = client.responses().create(ask("Weather in Paris as JSON").text(Weather.class).build());

        Weather weather = response.output().stream().flatMap(item -> item.message().stream())
                .flatMap(message -> message.content().stream()).flatMap(content -> content.outputText().stream())
                .findFirst().orElseThrow();
        assertThat(weather.city).isEqualTo("Paris");
        assertThat(weather.temperature).isEqualTo(21.5);
        JsonNode format = upstream.lastRequest().json().get("response_format");
        assertThat(format.get("type").asText()).isEqualTo("json_schema");
        assertThat(format.at("/json_schema/strict").asBoolean()).isTrue();
        assertThat(format.at("/json_schema/schema/properties/city/type").asText()).isEqualTo("string");
    }

    @Test
    void lengthCutIsIncomplete() {
        OpenAIClient client = start("openai");
        upstream.handler(ChatScript.text("The history of").finishReason("length").handler());

        Response response = stream(client, ask("Write an essay").maxOutputTokens(16).build(), new ArrayList<>());

        assertThat(response.status()).contains(ResponseStatus.INCOMPLETE);
        assertThat(response.incompleteDetails().orElseThrow().reason().orElseThrow().asString()).isEqualTo("max_output_tokens");
        assertThat(text(response)).isEqualTo("The history of");
    }

    @Test
    void errorsBeforeTheStreamAreTheSdksOwnExceptions() {
        OpenAIClient client = start("openai");
        upstream.handler(ChatScript.text("fine").handler());

        assertThatThrownBy(() -> gateway.openAi("wrong-key-0123456789abcdef0123456789").responses().create(ask("hi").build()))
                .isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> client.responses().create(ResponseCreateParams.builder().model("no-such-model").input("hi").build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).contains("model_not_found"));
        assertThatThrownBy(() -> client.responses().create(ask("and then?").previousResponseId("resp_1").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.param()).contains("previous_response_id"));

        // 30 s is longer than the gateway waits itself before retrying, so the client gets the 429.
        upstream.enqueue(Reply.json(429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}")
                .header("retry-after", "30"));
        assertThatThrownBy(() -> client.responses().createStreaming(ask("hi").build()).stream().count())
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.headers().values("retry-after")).containsExactly("30");
                    assertThat(e.code()).contains("rate_limit_exceeded");
                });
    }

    @Test
    void upstreamDeathMidStreamIsAFailedResponse() {
        OpenAIClient client = start("openai");
        upstream.enqueue(request -> Reply.sse(ChatScript.text("Once upon a time there was").chunkSize(4).chunks(true)).resetAfterEvents(3));

        List<ResponseStreamEvent> events = new ArrayList<>();
        Response response = stream(client, ask("Tell a story").build(), events);

        assertThat(response.status()).contains(ResponseStatus.FAILED);
        assertThat(response.error().orElseThrow().message()).contains("upstream connection was lost");
        assertThat(events.get(events.size() - 1).isFailed()).isTrue();
        assertThat(text(response)).isEqualTo("Once upo");
        RecordedRequest sent = upstream.lastRequest();
        assertThat(sent.json().get("stream").asBoolean()).isTrue();
    }
}
