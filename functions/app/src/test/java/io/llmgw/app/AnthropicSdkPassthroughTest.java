package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.core.JsonValue;
import com.anthropic.core.ObjectMappers;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicException;
import com.anthropic.errors.OverloadedException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.CacheControlEphemeral;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.testing.AnthropicScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.GoldenCases;
import io.llmgw.testing.RecordedRequest;
import io.llmgw.testing.Reply;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official anthropic-java SDK in front of the running app, served by a fake Anthropic upstream:
 * the client's request reaches Anthropic as sent (only the model changes) and what Anthropic
 * answers reaches the client byte for byte — events, messages, token counts and errors — but for the
 * model it names, which is the one the client asked for ({@code claude-sonnet-4-5}, routed to
 * {@code small-model}, answered by Anthropic as {@code claude-sonnet-4-5-20250929}).
 */
class AnthropicSdkPassthroughTest {
    private static final String MODEL = "claude-sonnet-4-5";
    private static final String SIGNATURE = "EqQBCkgIBRABGAIiQJ3dXl0mJ8ZkS0rWn7CeQ4u1d2bI3xTq0gS1c5kUe8d6n9yF6pQ1zL8wA5rV0mN2hK4tC7xY3jB9sE1";
    private static final String BETA = "interleaved-thinking-2025-05-14";
    private static FakeUpstream upstream;
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        upstream = FakeUpstream.start();
        gateway = TestGateway.start(TestGateway.singleUpstream("anthropic", upstream.baseUrl()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.clear();
    }

    /** What the client gets for what the upstream sent: the same bytes, naming the model the client asked for. */
    private static String asReceived(String upstreamBytes) {
        return upstreamBytes.replace("\"model\":\"claude-sonnet-4-5-20250929\"", "\"model\":\"" + MODEL + "\"");
    }

    private static Tool tool(String name) {
        return Tool.builder().name(name).description("Look up " + name)
                .inputSchema(Tool.InputSchema.builder().properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .required(List.of("city")).build())
                .build();
    }

    private static AnthropicScript thinkingThenTwoTools() {
        return AnthropicScript.empty().thinking("Two independent lookups: call both.", SIGNATURE).andText("Checking both.")
                .toolUse("toolu_01Wx", "get_weather", "{\"city\":\"Paris\"}").toolUse("toolu_01Tm", "get_time", "{\"city\":\"Tokyo\"}")
                .usage(96, 143).cache(2048, 310).ping();
    }

    private static MessageCreateParams.Builder ask(String text) {
        return MessageCreateParams.builder().model(MODEL).maxTokens(16000).enabledThinking(4096)
                .systemOfTextBlockParams(List.of(TextBlockParam.builder().text("Use the tools.")
                        .cacheControl(CacheControlEphemeral.builder().build()).build()))
                .addUserMessage(text).addTool(tool("get_weather")).addTool(tool("get_time"))
                .putAdditionalHeader("anthropic-beta", BETA);
    }

    @Test
    void streamingWithToolsReachesTheSdkAsAnthropicSentIt() throws Exception {
        AnthropicScript script = thinkingThenTwoTools();
        upstream.handler(script.handler());
        List<RawMessageStreamEvent> received = new ArrayList<>();
        MessageAccumulator accumulator = MessageAccumulator.create();

        try (StreamResponse<RawMessageStreamEvent> stream = gateway.anthropic().messages().createStreaming(ask("Paris weather, Tokyo time").build())) {
            stream.stream().forEach(event -> {
                received.add(event);
                accumulator.accumulate(event);
            });
        }

        // every event equals the upstream's own, as the SDK reads it (it skips pings)
        List<RawMessageStreamEvent> sent = new ArrayList<>();
        for (String frame : script.frames().stream().map(AnthropicSdkPassthroughTest::asReceived).toList()) {
            if (!frame.startsWith("event: ping")) {
                String data = frame.substring(frame.indexOf("\ndata: ") + 7).trim();
                sent.add(ObjectMappers.jsonMapper().readValue(data, RawMessageStreamEvent.class));
            }
        }
        assertThat(received).isEqualTo(sent);
        Message message = accumulator.message();
        assertThat(message.content()).hasSize(4);
        assertThat(message.content().get(0).asThinking().signature()).isEqualTo(SIGNATURE);
        assertThat(message.content().get(2).asToolUse()._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris"));
        assertThat(message.content().get(3).asToolUse().id()).isEqualTo("toolu_01Tm");
        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(message.usage().cacheReadInputTokens()).contains(2048L);

        RecordedRequest request = upstream.lastRequest();
        assertThat(request.path()).isEqualTo("/v1/messages");
        assertThat(request.header("x-api-key")).isEqualTo(TestGateway.UPSTREAM_KEY);
        assertThat(request.header("anthropic-beta")).isEqualTo(BETA);
        assertThat(request.header("anthropic-version")).as("the SDK's own").isNotBlank();
        JsonNode body = request.json();
        assertThat(body.get("model").asText()).isEqualTo("small-model");
        assertThat(body.at("/system/0/cache_control/type").asText()).isEqualTo("ephemeral");
        assertThat(body.at("/thinking/budget_tokens").asInt()).isEqualTo(4096);
    }

    /** The same exchange on the wire: the response body is the upstream's frames, concatenated. */
    @Test
    void theRawStreamIsTheUpstreamsBytes() {
        AnthropicScript script = thinkingThenTwoTools();
        upstream.handler(script.handler());
        String body = "{\"model\":\"" + MODEL + "\",\"max_tokens\":1024,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";

        HttpResponse<String> response = gateway.postJson("/v1/messages", body, "x-api-key", TestGateway.GATEWAY_KEY,
                "anthropic-version", "2023-01-01");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        assertThat(response.body()).isEqualTo(asReceived(String.join("", script.frames())));
        assertThat(response.body()).contains("\"model\":\"" + MODEL + "\"");
        assertThat(response.headers().firstValue("x-gateway-upstream-model")).hasValue("small-model");
        assertThat(upstream.lastRequest().bodyText()).isEqualTo(body.replace(MODEL, "small-model"));
        assertThat(upstream.lastRequest().header("anthropic-version")).as("the client's, whatever it is").isEqualTo("2023-01-01");
    }

    @Test
    void aMessageIsTheUpstreamsBody() {
        AnthropicScript script = AnthropicScript.text("Hello!").usage(12, 3);
        upstream.handler(script.handler());

        HttpResponse<String> raw = gateway.postJson("/v1/messages", "{\"model\":\"" + MODEL + "\",\"max_tokens\":64,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "x-api-key", TestGateway.GATEWAY_KEY);
        Message message = gateway.anthropic().messages().create(MessageCreateParams.builder().model(MODEL).maxTokens(64)
                .addUserMessage("hi").build());

        assertThat(raw.body()).isEqualTo(asReceived(script.message()));
        assertThat(message.content().get(0).asText().text()).isEqualTo("Hello!");
        assertThat(message.id()).isEqualTo("msg_01FakeAnthropicUpstream01");
        assertThat(message.model().asString()).as("the model the client asked for, not the upstream's").isEqualTo(MODEL);
    }

    @Test
    void countTokensIsAskedOfTheUpstream() {
        upstream.handler(request -> Reply.json(200, "{\"input_tokens\":4242}"));

        long counted = gateway.anthropic().messages().countTokens(MessageCountTokensParams.builder().model(MODEL)
                .addUserMessage("Say hello").addTool(tool("get_weather")).build()).inputTokens();

        assertThat(counted).isEqualTo(4242);
        RecordedRequest request = upstream.lastRequest();
        assertThat(request.path()).isEqualTo("/v1/messages/count_tokens");
        assertThat(request.json().get("model").asText()).isEqualTo("small-model");
        assertThat(request.json().at("/tools/0/name").asText()).isEqualTo("get_weather");
    }

    @Test
    void thinkingSignaturesRoundTripUnchanged() {
        upstream.enqueue(thinkingThenTwoTools()::reply);
        upstream.enqueue(AnthropicScript.text("18C in Paris, 21:00 in Tokyo.")::reply);
        MessageCreateParams first = ask("Paris weather, Tokyo time").build();
        Message turn1;
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = gateway.anthropic().messages().createStreaming(first)) {
            stream.stream().forEach(accumulator::accumulate);
        }
        turn1 = accumulator.message();
        List<ContentBlockParam> results = turn1.content().stream().filter(ContentBlock::isToolUse).map(ContentBlock::asToolUse)
                .map(ToolUseBlock::id).map(id -> ContentBlockParam.ofToolResult(ToolResultBlockParam.builder().toolUseId(id)
                        .content("ok").build())).toList();

        gateway.anthropic().messages().create(first.toBuilder().addMessage(turn1).addUserMessageOfContentBlockParams(results).build());

        JsonNode replayed = upstream.lastRequest().json().at("/messages/1/content/0");
        assertThat(replayed.get("type").asText()).isEqualTo("thinking");
        assertThat(replayed.get("signature").asText()).isEqualTo(SIGNATURE);
        assertThat(replayed.get("thinking").asText()).isEqualTo("Two independent lookups: call both.");
        assertThat(upstream.lastRequest().json().has("thinking")).isTrue();
    }

    @Test
    void rateLimitKeepsRetryAfter() {
        upstream.enqueue(Reply.json(429, AnthropicScript.errorBody("rate_limit_error", "Number of requests has exceeded your rate limit"))
                .header("retry-after", "30").header("anthropic-ratelimit-requests-remaining", "0"));

        assertThatThrownBy(() -> gateway.anthropic().messages().createStreaming(ask("hi").build()).stream().count())
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.headers().values("retry-after")).containsExactly("30");
                    assertThat(e.headers().values("anthropic-ratelimit-requests-remaining")).containsExactly("0");
                    assertThat(e.getMessage()).contains("exceeded your rate limit");
                });
    }

    @Test
    void overloadIs529() {
        upstream.handler(request -> Reply.json(529, AnthropicScript.errorBody("overloaded_error", "Overloaded")));

        assertThatThrownBy(() -> gateway.anthropic().messages().create(MessageCreateParams.builder().model(MODEL).maxTokens(64)
                .addUserMessage("hi").build()))
                .isInstanceOfSatisfying(OverloadedException.class, e -> assertThat(e.statusCode()).isEqualTo(529));
    }

    @Test
    void anErrorEventMidStreamReachesTheSdkAsAnthropicSentIt() {
        List<String> frames = new ArrayList<>(AnthropicScript.text("A long answer that Anthropic gives up on.").frames().subList(0, 4));
        frames.add(AnthropicScript.errorFrame("overloaded_error", "Overloaded"));
        upstream.enqueue(Reply.rawSse(frames));
        List<RawMessageStreamEvent> received = new ArrayList<>();

        assertThatThrownBy(() -> {
            try (StreamResponse<RawMessageStreamEvent> stream = gateway.anthropic().messages().createStreaming(ask("hi").build())) {
                stream.stream().forEach(received::add);
            }
        }).isInstanceOf(AnthropicException.class).hasMessageContaining("Overloaded");
        assertThat(received).hasSize(4);
    }

    @Test
    void aStreamCutMidwayStillEndsWithAnErrorEvent() {
        AnthropicScript script = AnthropicScript.text("A long answer that is cut off.").chunkSize(4);
        upstream.enqueue(request -> script.reply(request).resetAfterEvents(5));

        HttpResponse<String> response = gateway.postJson("/v1/messages", "{\"model\":\"" + MODEL + "\",\"max_tokens\":64,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "x-api-key", TestGateway.GATEWAY_KEY);

        List<String> frames = GoldenCases.frames(response.body());
        assertThat(frames).hasSize(6);
        assertThat(String.join("", frames.subList(0, 5).stream().map(f -> f + "\n\n").toList()))
                .isEqualTo(asReceived(String.join("", script.frames().subList(0, 5))));
        assertThat(frames.get(5)).startsWith("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\"");
    }
}
