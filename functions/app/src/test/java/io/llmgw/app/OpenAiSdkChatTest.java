package io.llmgw.app;

import static io.llmgw.app.SdkChat.ask;
import static io.llmgw.app.SdkChat.assertOneCall;
import static io.llmgw.app.SdkChat.assertParallelWeatherCalls;
import static io.llmgw.app.SdkChat.parallelWeatherCalls;
import static io.llmgw.app.SdkChat.streamAndAccumulate;
import static io.llmgw.app.SdkChat.weatherTool;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official openai-java SDK as the client of the running app, through it to a fake upstream
 * shaped like OpenAI (or any compatible server) and like Azure OpenAI (deployment path, api-key
 * header, empty first chunk, content-filter chunks).
 */
class OpenAiSdkChatTest extends SdkAgainstFakeUpstream {
    @ParameterizedTest
    @ValueSource(strings = {"openai", "azure-openai"})
    void nonStreamingCompletion(String providerType) {
        OpenAIClient client = start(providerType);
        upstream.handler(quirks(providerType, ChatScript.text("Bonjour, Paris!").usage(31, 5)).handler());

        ChatCompletion completion = client.chat().completions().create(ask("Say hello").maxCompletionTokens(100).build());

        assertThat(completion.choices().get(0).message().content()).contains("Bonjour, Paris!");
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(31);
        RecordedRequest sent = upstream.lastRequest();
        assertUpstreamShape(providerType, sent);
        assertThat(sent.json().get("model").asText()).isEqualTo("gpt-4o-prod");
        assertThat(sent.json().get("max_completion_tokens").asInt()).isEqualTo(100);
        assertThat(sent.json().has("stream_options")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "azure-openai"})
    void streamingWithUsage(String providerType) {
        OpenAIClient client = start(providerType);
        upstream.handler(quirks(providerType, ChatScript.text("Streaming works fine.").chunkSize(3).usage(40, 6)).handler());

        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ask("Go")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> {
                chunks.add(chunk);
                accumulator.accumulate(chunk);
            });
        }

        ChatCompletion completion = accumulator.chatCompletion();
        assertThat(completion.choices().get(0).message().content()).contains("Streaming works fine.");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().promptTokens()).isEqualTo(40);
        assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(6);
        // Azure's prompt-filter chunk and content-filter-only chunk never reach the client.
        assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(c -> assertThat(c.choices()).isNotEmpty());
        assertThat(chunks.get(0).id()).isEqualTo("chatcmpl-fake1");
        assertUpstreamShape(providerType, upstream.lastRequest());
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "azure-openai"})
    void streamingWithoutUsageHidesTheUsageChunkTheGatewayAskedFor(String providerType) {
        OpenAIClient client = start(providerType);
        upstream.handler(quirks(providerType, ChatScript.text("No usage please.")).handler());

        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ask("Go").build())) {
            stream.stream().forEach(chunks::add);
        }

        assertThat(chunks).allSatisfy(c -> assertThat(c.usage()).isEmpty());
        assertThat(upstream.lastRequest().json().at("/stream_options/include_usage").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "azure-openai"})
    void streamedToolCallArguments(String providerType) {
        OpenAIClient client = start(providerType);
        String args = "{\"city\":\"Paris\",\"unit\":\"celsius\",\"days\":3}";
        upstream.handler(quirks(providerType, ChatScript.empty().toolCall("call_abc", "get_weather", args).argumentFragments(5)).handler());

        ChatCompletion completion = streamAndAccumulate(client, ask("Weather?").addTool(weatherTool()).build());

        assertOneCall(completion, "call_abc", "get_weather", args);
        JsonNode sentTools = upstream.lastRequest().json().get("tools");
        assertThat(sentTools.get(0).at("/function/name").asText()).isEqualTo("get_weather");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "azure-openai"})
    void parallelToolCalls(String providerType) {
        OpenAIClient client = start(providerType);
        upstream.handler(quirks(providerType, parallelWeatherCalls()).handler());

        ChatCompletion streamed = streamAndAccumulate(client, ask("Two cities").addTool(weatherTool()).parallelToolCalls(true).build());
        ChatCompletion plain = client.chat().completions().create(ask("Two cities").addTool(weatherTool()).build());

        assertParallelWeatherCalls(streamed);
        assertParallelWeatherCalls(plain);
        assertThat(upstream.requests().get(0).json().get("parallel_tool_calls").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "azure-openai"})
    void modelsList(String providerType) {
        OpenAIClient client = start(providerType);

        List<String> ids = client.models().list().data().stream().map(Model::id).toList();

        assertThat(ids).containsExactly("gpt-4o", "small-model");
        assertThat(upstream.requests()).isEmpty();
    }

    private static void assertUpstreamShape(String providerType, RecordedRequest sent) {
        if (providerType.equals("azure-openai")) {
            assertThat(sent.path()).isEqualTo("/openai/deployments/gpt-4o-prod/chat/completions");
            assertThat(sent.query()).isEqualTo("api-version=2024-10-21");
            assertThat(sent.header("api-key")).isEqualTo(TestGateway.UPSTREAM_KEY);
            assertThat(sent.header("authorization")).isNull();
        } else {
            assertThat(sent.path()).isEqualTo("/v1/chat/completions");
            assertThat(sent.header("authorization")).isEqualTo("Bearer " + TestGateway.UPSTREAM_KEY);
            assertThat(sent.header("api-key")).isNull();
        }
    }
}
