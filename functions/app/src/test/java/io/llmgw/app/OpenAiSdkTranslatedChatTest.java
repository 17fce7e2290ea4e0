package io.llmgw.app;

import static io.llmgw.app.SdkChat.ask;
import static io.llmgw.app.SdkChat.assertOneCall;
import static io.llmgw.app.SdkChat.assertParallelWeatherCalls;
import static io.llmgw.app.SdkChat.parallelWeatherCalls;
import static io.llmgw.app.SdkChat.streamAndAccumulate;
import static io.llmgw.app.SdkChat.weatherTool;
import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.llmgw.core.dialect.openai.chat.TranslatedChatPath;
import io.llmgw.testing.ChatScript;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official openai-java SDK reading what the translated chat path writes (ChatStreamEncoder,
 * ChatResponseEncoder): the running app, with every chat request sent through the canonical
 * model (the endpoint's test seam, as no upstream that does not speak chat exists yet) to a fake
 * chat upstream. The SDK's ChatCompletionAccumulator must rebuild text, one tool call, parallel
 * calls and reasoning from the chunks.
 */
class OpenAiSdkTranslatedChatTest extends SdkAgainstFakeUpstream {
    private TranslatedChatPath translated;

    @BeforeEach
    void translateEverything() {
        translated = TranslatedChatPath.force();
    }

    @AfterEach
    void backToPassthrough() {
        translated.close();
    }

    @Test
    void textStreamWithUsage() {
        OpenAIClient client = start("openai");
        upstream.handler(ChatScript.text("Streaming works fine.").chunkSize(3).usage(40, 6).cachedTokens(32).handler());

        List<ChatCompletionChunk> chunks = new ArrayList<>();
        ChatCompletion completion = streamAndAccumulate(client, ask("Go")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build(), chunks);

        assertThat(completion.choices().get(0).message().content()).contains("Streaming works fine.");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        // The translated path's own envelope: one minted id, the requested model (the passthrough relays the upstream's).
        assertThat(chunks).extracting(ChatCompletionChunk::id).allMatch(id -> id.matches("chatcmpl-[A-Za-z0-9]{24}")).hasSameSizeAs(chunks)
                .containsOnly(chunks.get(0).id());
        assertThat(chunks).extracting(ChatCompletionChunk::model).containsOnly("gpt-4o");
        assertThat(chunks.get(0).choices().get(0).delta().role()).hasValue(ChatCompletionChunk.Choice.Delta.Role.ASSISTANT);
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().promptTokens()).isEqualTo(40);
        assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(6);
        assertThat(last.usage().orElseThrow().promptTokensDetails().orElseThrow().cachedTokens()).hasValue(32L);
        assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(46);
        // Content and finish never share a chunk.
        assertThat(chunks).allSatisfy(c -> c.choices().forEach(choice ->
                assertThat(choice.finishReason().isPresent() && choice.delta().content().isPresent()).isFalse()));
    }

    @Test
    void textStreamWithoutUsageHasNoUsageChunk() {
        OpenAIClient client = start("openai");
        upstream.handler(ChatScript.text("No usage please.").handler());

        List<ChatCompletionChunk> chunks = new ArrayList<>();
        ChatCompletion completion = streamAndAccumulate(client, ask("Go").build(), chunks);

        assertThat(completion.choices().get(0).message().content()).contains("No usage please.");
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.usage()).isEmpty();
            assertThat(c.choices()).hasSize(1);
        });
    }

    @Test
    void oneToolCallWithStreamedArguments() {
        OpenAIClient client = start("openai");
        String args = "{\"city\":\"Paris\",\"unit\":\"celsius\",\"days\":3}";
        upstream.handler(ChatScript.empty().toolCall("call_abc", "get_weather", args).argumentFragments(5).handler());

        ChatCompletion completion = streamAndAccumulate(client, ask("Weather?").addTool(weatherTool()).build());

        assertOneCall(completion, "call_abc", "get_weather", args);
        assertThat(upstream.lastRequest().json().at("/tools/0/function/name").asText()).isEqualTo("get_weather");
    }

    @Test
    void parallelToolCallsStreamedAndNot() {
        OpenAIClient client = start("openai");
        upstream.handler(parallelWeatherCalls().handler());

        ChatCompletion streamed = streamAndAccumulate(client, ask("Two cities").addTool(weatherTool()).parallelToolCalls(true).build());
        ChatCompletion plain = client.chat().completions().create(ask("Two cities").addTool(weatherTool()).build());

        for (ChatCompletion completion : List.of(streamed, plain)) {
            assertParallelWeatherCalls(completion);
            assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
            assertThat(completion.model()).isEqualTo("gpt-4o");
        }
        assertThat(plain.id()).matches("chatcmpl-[A-Za-z0-9]{24}");
        assertThat(plain.usage().orElseThrow().promptTokens()).isEqualTo(12);
        assertThat(upstream.requests().get(0).json().get("parallel_tool_calls").asBoolean()).isTrue();
    }

    @Test
    void reasoningArrivesAsReasoningContentBeforeTheText() {
        OpenAIClient client = start("openai");
        upstream.handler(ChatScript.text("It is sunny.").reasoning("The user wants the weather; answer briefly.").chunkSize(5).handler());

        List<ChatCompletionChunk> chunks = new ArrayList<>();
        ChatCompletion streamed = streamAndAccumulate(client, ask("Weather?").reasoningEffort(com.openai.models.ReasoningEffort.LOW).build(), chunks);
        ChatCompletion plain = client.chat().completions().create(ask("Weather?").build());

        StringBuilder reasoning = new StringBuilder();
        chunks.forEach(c -> c.choices().forEach(choice -> {
            JsonValue piece = choice.delta()._additionalProperties().get("reasoning_content");
            if (piece != null) {
                reasoning.append(piece.asString().orElseThrow());
            }
        }));
        assertThat(reasoning.toString()).isEqualTo("The user wants the weather; answer briefly.");
        assertThat(streamed.choices().get(0).message().content()).contains("It is sunny.");
        assertThat(plain.choices().get(0).message().content()).contains("It is sunny.");
        assertThat(plain.choices().get(0).message()._additionalProperties().get("reasoning_content").asString())
                .hasValue("The user wants the weather; answer briefly.");
    }

}
