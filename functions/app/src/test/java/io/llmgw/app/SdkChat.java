package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import io.llmgw.testing.ChatScript;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Requests, stream reading and checks shared by the tests that use openai-java's chat API. */
final class SdkChat {
    private SdkChat() {}

    /** A chat request for model {@code gpt-4o} with one user message. */
    /**
     * The next turn of a weather conversation: {@code first}, the assistant's {@code message}, and an
     * answer to each of its tool calls (18C for Paris, 25C for anything else).
     */
    static ChatCompletionCreateParams weatherAnswered(ChatCompletionCreateParams first, ChatCompletionMessage message) {
        ChatCompletionCreateParams.Builder next = first.toBuilder().addMessage(message.toParam());
        message.toolCalls().orElseThrow().forEach(call -> next.addMessage(ChatCompletionToolMessageParam.builder()
                .toolCallId(call.asFunction().id()).content(call.asFunction().function().arguments().contains("Paris") ? "18C" : "25C")
                .build()));
        return next.build();
    }

    static ChatCompletionCreateParams.Builder ask(String text) {
        return ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage(text);
    }

    /** Streams the request and rebuilds the answer with the SDK's own accumulator. */
    static ChatCompletion streamAndAccumulate(OpenAIClient client, ChatCompletionCreateParams params) {
        return streamAndAccumulate(client, params, new ArrayList<>());
    }

    /** The same, keeping every chunk in {@code chunks}. */
    static ChatCompletion streamAndAccumulate(OpenAIClient client, ChatCompletionCreateParams params, List<ChatCompletionChunk> chunks) {
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> {
                chunks.add(chunk);
                accumulator.accumulate(chunk);
            });
        }
        return accumulator.chatCompletion();
    }

    /** A {@code get_weather(city)} function tool. */
    static ChatCompletionFunctionTool weatherTool() {
        return ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
                .name("get_weather")
                .description("Get the weather for a city")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .build())
                .build()).build();
    }

    /** Text, then two parallel {@code get_weather} calls (Paris, Tokyo). */
    static ChatScript parallelWeatherCalls() {
        return ChatScript.text("Checking both.")
                .toolCall("call_1", "get_weather", "{\"city\":\"Paris\"}")
                .toolCall("call_2", "get_weather", "{\"city\":\"Tokyo\"}");
    }

    /** The answer to {@link #parallelWeatherCalls()}, as the client rebuilt it. */
    static void assertParallelWeatherCalls(ChatCompletion completion) {
        List<ChatCompletionMessageToolCall> calls = completion.choices().get(0).message().toolCalls().orElseThrow();
        assertThat(calls).extracting(c -> c.asFunction().id()).containsExactly("call_1", "call_2");
        assertThat(calls).extracting(c -> c.asFunction().function().arguments())
                .containsExactly("{\"city\":\"Paris\"}", "{\"city\":\"Tokyo\"}");
        assertThat(completion.choices().get(0).message().content()).contains("Checking both.");
    }

    /** The answer is exactly one call of {@code name} with {@code arguments}, ending the turn for tools. */
    static void assertOneCall(ChatCompletion completion, String id, String name, String arguments) {
        List<ChatCompletionMessageToolCall> calls = completion.choices().get(0).message().toolCalls().orElseThrow();
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).asFunction().id()).isEqualTo(id);
        assertThat(calls.get(0).asFunction().function().name()).isEqualTo(name);
        assertThat(calls.get(0).asFunction().function().arguments()).isEqualTo(arguments);
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    }
}
