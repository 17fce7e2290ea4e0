package io.llmgw.app;

import static io.llmgw.app.SdkChat.streamAndAccumulate;
import static io.llmgw.app.SdkChat.weatherTool;
import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.ThinkingConfigEnabled;
import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import io.llmgw.testing.AnthropicScript;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official SDKs read answers from the response cache as they read live ones: openai-java's
 * {@code ChatCompletionAccumulator} and Responses stream (every event validated, the accumulator's
 * rebuilt response equal to the terminal one) and anthropic-java's {@code MessageAccumulator} take a
 * replayed stream whose answer was first delivered whole, and the other way round — on the
 * passthrough and the translated paths — while the upstream is asked once.
 */
class ResponseCacheSdkTest extends SdkAgainstFakeUpstream {

    @BeforeEach
    void start() {
        upstream = FakeUpstream.start();
        gateway = TestGateway.start("""
                auth: { mode: gateway, keys: ["${GW_KEY}"] }
                providers:
                  chat: { type: openai, base_url: "%s/v1", api_key: "${UP_KEY}" }
                  claude: { type: anthropic, base_url: "%s", api_key: "${UP_KEY}" }
                models:
                  gpt-4o: { deployments: [ { provider: chat, model: gpt-4o-prod } ] }
                  claude-sonnet-4-5: { deployments: [ { provider: claude } ] }
                cache: { enabled: true, tool_calls: true }
                """.formatted(upstream.baseUrl(), upstream.baseUrl()));
    }

    @Test
    void chatCompletionAccumulatorReadsAReplayedStream() {
        upstream.handler(ChatScript.text("Cached, then streamed.").usage(30, 5).handler());
        OpenAIClient client = gateway.openAi();
        ChatCompletionCreateParams.Builder ask = SdkChat.ask("Say it once").temperature(0.0);

        ChatCompletion whole = client.chat().completions().create(ask.build());
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        ChatCompletion streamed = streamAndAccumulate(client, ask.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true)
                .build()).build(), chunks);

        assertThat(upstream.requests()).hasSize(1);
        assertThat(streamed.choices().get(0).message().content()).contains("Cached, then streamed.");
        assertThat(streamed.choices().get(0).message().content()).isEqualTo(whole.choices().get(0).message().content());
        assertThat(streamed.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(streamed.id()).isNotEqualTo(whole.id());
        assertThat(streamed.model()).isEqualTo("gpt-4o");
        assertThat(chunks.get(chunks.size() - 1).usage().orElseThrow().promptTokens()).isEqualTo(30);
    }

    @Test
    void aStreamedToolCallIsReplayedWhole() {
        upstream.handler(AnthropicScript.text("Checking.").toolUse("toolu_up1", "get_weather", "{\"city\":\"Paris\"}").handler());
        OpenAIClient client = gateway.openAi();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("claude-sonnet-4-5").addUserMessage("Weather?")
                .addTool(weatherTool()).build();

        ChatCompletion live = streamAndAccumulate(client, params);
        ChatCompletion replayed = streamAndAccumulate(client, params);

        assertThat(upstream.requests()).hasSize(1);
        ChatCompletionMessageToolCall call = replayed.choices().get(0).message().toolCalls().orElseThrow().get(0);
        assertThat(call.asFunction().function().name()).isEqualTo("get_weather");
        assertThat(call.asFunction().function().arguments()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(call.asFunction().id()).isNotEqualTo(live.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction().id());
        assertThat(replayed.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(replayed.choices().get(0).message().content()).contains("Checking.");
    }

    @Test
    void theResponsesStreamOfAHitValidatesAndAccumulates() {
        upstream.handler(ChatScript.text("From the cache, as events.").reasoning("Short thought.").usage(20, 6).handler());
        OpenAIClient client = gateway.openAi();
        ResponseCreateParams params = ResponseCreateParams.builder().model("gpt-4o").input("Explain caching").maxOutputTokens(200).build();

        Response whole = client.responses().create(params).validate();
        List<ResponseStreamEvent> events = new ArrayList<>();
        Response streamed = OpenAiSdkResponsesTest.stream(client, params, events);
        Response again = OpenAiSdkResponsesTest.stream(client, params, new ArrayList<>());

        assertThat(upstream.requests()).hasSize(1);
        assertThat(streamed.status()).contains(ResponseStatus.COMPLETED);
        assertThat(OpenAiSdkResponsesTest.text(streamed)).isEqualTo("From the cache, as events.").isEqualTo(OpenAiSdkResponsesTest.text(whole));
        assertThat(OpenAiSdkResponsesTest.text(again)).isEqualTo(OpenAiSdkResponsesTest.text(whole));
        assertThat(streamed.id()).isNotEqualTo(whole.id()).isNotEqualTo(again.id());
        assertThat(streamed.usage().orElseThrow().inputTokens()).isEqualTo(20);
        assertThat(events.stream().anyMatch(ResponseStreamEvent::isReasoningSummaryTextDelta)
                || events.stream().anyMatch(ResponseStreamEvent::isReasoningTextDelta)).as("the reasoning replayed too").isTrue();
    }

    @Test
    void anthropicsMessageAccumulatorReadsAReplayedStreamPassedThroughAndTranslated() {
        upstream.handler(request -> request.path().endsWith("/v1/messages")
                ? AnthropicScript.empty().thinking("Weighing it.", "sig-up-1").andText("Passed through, then cached.").reply(request)
                : ChatScript.text("Translated, then cached.").reply(request));
        for (String model : List.of("claude-sonnet-4-5", "gpt-4o")) {
            MessageCreateParams.Builder ask = MessageCreateParams.builder().model(model).maxTokens(2048).addUserMessage("Once, " + model);
            if (model.startsWith("claude")) {
                ask.thinking(ThinkingConfigEnabled.builder().budgetTokens(1024).build());
            }
            Message whole = gateway.anthropic().messages().create(ask.build());
            MessageAccumulator accumulator = MessageAccumulator.create();
            try (StreamResponse<RawMessageStreamEvent> stream = gateway.anthropic().messages().createStreaming(ask.build())) {
                stream.stream().forEach(accumulator::accumulate);
            }
            Message streamed = accumulator.message();

            assertThat(streamed.id()).isNotEqualTo(whole.id());
            assertThat(streamed.model().asString()).isEqualTo(model);
            assertThat(text(streamed)).isEqualTo(text(whole)).endsWith("then cached.");
            if (model.startsWith("claude")) {
                assertThat(streamed.content().get(0).thinking().orElseThrow().thinking()).isEqualTo("Weighing it.");
                assertThat(streamed.content().get(0).thinking().orElseThrow().signature()).isNotEmpty();
            }
        }
        assertThat(upstream.requests()).hasSize(2);
    }

    @Test
    void hitsAndMissesAreMetrics() {
        upstream.handler(ChatScript.text("Counted.").handler());
        String body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"count me\"}]}";
        HttpResponse<String> miss = gateway.postJsonWithKey("/v1/chat/completions", body);
        HttpResponse<String> hit = gateway.postJsonWithKey("/v1/chat/completions", body);
        HttpResponse<String> bypass = gateway.send("POST", "/v1/chat/completions", body, "authorization", "Bearer " + TestGateway.GATEWAY_KEY,
                "content-type", "application/json", "cache-control", "no-store");
        assertThat(miss.headers().firstValue("x-gateway-cache")).contains("miss");
        assertThat(hit.headers().firstValue("x-gateway-cache")).contains("hit");
        assertThat(bypass.headers().firstValue("x-gateway-cache")).contains("bypass");

        String metrics = gateway.send("GET", "/metrics", null, "authorization", "Bearer " + TestGateway.GATEWAY_KEY).body();
        assertThat(metrics).contains(
                "gateway_cache_hits_total{model=\"gpt-4o\"} 1.0",
                "gateway_cache_misses_total{model=\"gpt-4o\"} 1.0",
                "gateway_cache_bypasses_total{model=\"gpt-4o\"} 1.0",
                "gateway_cache_bytes_count 1",
                "gateway_requests_total{dialect=\"openai-chat\",model=\"gpt-4o\",status=\"200\"} 3.0");
    }

    private static String text(Message message) {
        StringBuilder text = new StringBuilder();
        for (ContentBlock block : message.content()) {
            block.text().ifPresent(t -> text.append(t.text()));
        }
        return text.toString();
    }
}
