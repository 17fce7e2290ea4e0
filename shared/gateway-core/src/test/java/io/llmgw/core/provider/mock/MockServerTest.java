package io.llmgw.core.provider.mock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.upstream.UpstreamClient;
import io.llmgw.core.upstream.UpstreamRequest;
import io.llmgw.core.upstream.UpstreamResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.http.Headers;
import io.llmgw.core.spi.Dialect;
import io.llmgw.core.spi.NativeBody;
import io.llmgw.core.spi.Deployment;
import io.llmgw.testing.ChatStreams;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The mock provider as the gateway reaches it: requests built by its {@code ChatUpstream}, sent
 * through the {@link UpstreamClient} to the in-process server, answers read as an upstream's. Streams
 * must pass the strict chat grammar checker.
 */
class MockServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UpstreamClient CLIENT = new UpstreamClient(new MockProvider(deployment(MockSettings.NONE,
            Duration.ofSeconds(30)).provider()).inProcess());
    private static final String WEATHER_TOOL = """
            {"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object",
              "properties": {"city": {"type": "string"}, "days": {"type": "integer"}, "unit": {"enum": ["c", "f"]},
                             "exact": {"type": ["boolean", "null"]}, "where": {"type": "object", "required": ["lat"],
                             "properties": {"lat": {"type": "number", "minimum": -90}}}, "note": {"type": "string"}},
              "required": ["city", "days", "unit", "exact", "where"]}}}""";

    @AfterAll
    static void close() {
        CLIENT.close();
    }

    static Deployment deployment(MockSettings latency, Duration timeout) {
        GatewayConfig.Provider provider = new GatewayConfig.Provider("mock", "mock", null, Duration.ofSeconds(1), timeout, null, latency);
        return new Deployment(provider, "mock-model", null, null);
    }

    /** A chat body to the mock, as the mock provider builds the request. */
    static UpstreamRequest chatRequest(Deployment deployment, byte[] body, boolean stream) {
        try {
            ObjectNode json = (ObjectNode) JSON.readTree(body);
            return new MockProvider(deployment.provider()).passthrough(new NativeBody(Dialect.CHAT_COMPLETIONS, false, json, null, stream,
                    new Headers(), "req-1"), deployment).request();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String send(String body, boolean stream) {
        UpstreamRequest request = chatRequest(deployment(MockSettings.NONE, Duration.ofSeconds(30)),
                body.getBytes(StandardCharsets.UTF_8), stream);
        try (UpstreamResponse response = CLIENT.send(request)) {
            assertThat(response.headers().first("content-type")).startsWith(stream ? "text/event-stream" : "application/json");
            String text = new String(response.readBody(1 << 20), StandardCharsets.UTF_8);
            assertThat(response.status()).as(text).isEqualTo(200);
            return text;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode complete(String messages, String extra) throws IOException {
        JsonNode completion = JSON.readTree(send("{\"model\":\"mock-model\",\"messages\":" + messages + extra + "}", false));
        assertThat(completion.get("object").asText()).isEqualTo("chat.completion");
        assertThat(completion.get("id").asText()).startsWith("chatcmpl-");
        assertThat(completion.get("model").asText()).isEqualTo("mock-model");
        assertThat(completion.at("/choices/0/message/role").asText()).isEqualTo("assistant");
        JsonNode usage = completion.get("usage");
        assertThat(usage.get("prompt_tokens").asInt()).isPositive();
        assertThat(usage.get("total_tokens").asInt()).isEqualTo(usage.get("prompt_tokens").asInt() + usage.get("completion_tokens").asInt());
        return completion;
    }

    private static ChatStreams.Summary stream(String messages, String extra, boolean includeUsage) {
        String body = "{\"model\":\"mock-model\",\"stream\":true,\"messages\":" + messages + extra
                + (includeUsage ? ",\"stream_options\":{\"include_usage\":true}" : "") + "}";
        return ChatStreams.check(send(body, true), includeUsage);
    }

    private static String user(String text) throws IOException {
        return "[{\"role\":\"user\",\"content\":\"earlier\"},{\"role\":\"assistant\",\"content\":\"ok\"},"
                + "{\"role\":\"user\",\"content\":" + JSON.writeValueAsString(text) + "}]";
    }

    @Test
    void echoesTheLastUserTextInOneCompletion() throws IOException {
        JsonNode completion = complete(user("hello there,\n mock"), "");

        assertThat(completion.at("/choices/0/message/content").asText()).isEqualTo("You said: hello there,\n mock");
        assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(completion.at("/usage/completion_tokens").asInt()).isEqualTo(5);
        assertThat(completion.at("/choices/0/message").has("tool_calls")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void streamsTheEchoWordByWord(boolean includeUsage) throws IOException {
        ChatStreams.Summary summary = stream(user("hello there, mock"), "", includeUsage);

        assertThat(summary.content()).isEqualTo("You said: hello there, mock");
        assertThat(summary.chunks().stream().filter(c -> c.path("choices").size() == 1)
                .map(c -> c.at("/choices/0/delta/content").asText(null)).filter(t -> t != null && !t.isEmpty()).toList())
                .containsExactly("You", " said:", " hello", " there,", " mock");
        assertThat(summary.finishReason()).isEqualTo("stop");
        if (includeUsage) {
            assertThat(summary.usage().get("completion_tokens").asInt()).isEqualTo(5);
            assertThat(summary.usage().get("prompt_tokens").asInt()).isPositive();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void callsTheToolTheLastUserMessageAsksForWithItsArgs(boolean stream) throws IOException {
        String messages = user("Please use the tool get_weather args {\"city\": \"Paris\", \"days\": 3} [[ignored after the JSON]]");
        String tools = ",\"tools\":[" + WEATHER_TOOL + "]";

        if (stream) {
            ChatStreams.Summary summary = stream(messages, tools, true);
            assertThat(summary.content()).isEqualTo("Calling get_weather.");
            assertThat(summary.toolCalls()).singleElement().satisfies(call -> {
                assertThat(call.id()).startsWith("call_");
                assertThat(call.name()).isEqualTo("get_weather");
                assertThat(call.arguments()).isEqualTo("{\"city\":\"Paris\",\"days\":3}");
            });
            assertThat(summary.finishReason()).isEqualTo("tool_calls");
            // the arguments arrive in several fragments, as models stream them
            assertThat(summary.chunks().stream().filter(c -> c.at("/choices/0/delta/tool_calls").isArray())).hasSizeGreaterThan(2);
        } else {
            JsonNode completion = complete(messages, tools);
            JsonNode call = completion.at("/choices/0/message/tool_calls/0");
            assertThat(completion.at("/choices/0/message/content").asText()).isEqualTo("Calling get_weather.");
            assertThat(call.get("type").asText()).isEqualTo("function");
            assertThat(call.at("/function/name").asText()).isEqualTo("get_weather");
            assertThat(JSON.readTree(call.at("/function/arguments").asText())).isEqualTo(JSON.readTree("{\"city\":\"Paris\",\"days\":3}"));
            assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
        }
    }

    @Test
    void withoutArgsEachRequiredPropertyGetsAPlaceholderOfItsType() throws IOException {
        JsonNode completion = complete(user("use the tool GET_WEATHER"), ",\"tools\":[" + WEATHER_TOOL + "]");

        assertThat(JSON.readTree(completion.at("/choices/0/message/tool_calls/0/function/arguments").asText()))
                .isEqualTo(JSON.readTree("{\"city\":\"mock\",\"days\":0,\"unit\":\"c\",\"exact\":false,\"where\":{\"lat\":-90}}"));
    }

    @Test
    void toolChoiceDecidesWhetherACallIsMade() throws IOException {
        String tools = ",\"tools\":[" + WEATHER_TOOL + "]";

        JsonNode forced = complete(user("hi"), tools + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}");
        JsonNode required = complete(user("hi"), tools + ",\"tool_choice\":\"required\"");
        JsonNode none = complete(user("use the tool get_weather"), tools + ",\"tool_choice\":\"none\"");

        assertThat(forced.at("/choices/0/message/tool_calls/0/function/name").asText()).isEqualTo("get_weather");
        assertThat(required.at("/choices/0/message/tool_calls/0/function/name").asText()).isEqualTo("get_weather");
        assertThat(none.at("/choices/0/message/content").asText()).isEqualTo("You said: use the tool get_weather");
        assertThat(none.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void anUnknownToolOrBadArgsAreAnsweredInText() throws IOException {
        String tools = ",\"tools\":[" + WEATHER_TOOL + "]";

        JsonNode unknown = complete(user("use the tool fly_to_the_moon"), tools);
        JsonNode noTools = complete(user("use the tool get_weather"), "");
        JsonNode badArgs = complete(user("use the tool get_weather args {city: Paris}"), tools);

        assertThat(unknown.at("/choices/0/message/content").asText())
                .isEqualTo("There is no tool named fly_to_the_moon in this request; the tools offered are get_weather.");
        assertThat(noTools.at("/choices/0/message/content").asText())
                .isEqualTo("There is no tool named get_weather in this request; it offers no tools.");
        assertThat(badArgs.at("/choices/0/message/content").asText()).startsWith("The args for get_weather are not a JSON object");
        assertThat(badArgs.at("/choices/0/message").has("tool_calls")).isFalse();
    }

    @Test
    void aToolResultIsAnsweredInTextSoTheAgentLoopEnds() throws IOException {
        String messages = """
                [{"role": "user", "content": "use the tool get_weather args {\\"city\\": \\"Paris\\"}"},
                 {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function",
                   "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\"}"}}]},
                 {"role": "tool", "tool_call_id": "call_1", "content": "22C and sunny"}]""";

        ChatStreams.Summary summary = stream(messages, ",\"tools\":[" + WEATHER_TOOL + "]", false);

        assertThat(summary.content()).isEqualTo("The tool returned: 22C and sunny");
        assertThat(summary.toolCalls()).isEmpty();
        assertThat(summary.finishReason()).isEqualTo("stop");
    }

    @Test
    void maxTokensCutsTheTextAtThatManyWords() throws IOException {
        JsonNode completion = complete(user("one two three"), ",\"max_tokens\":2");
        ChatStreams.Summary streamed = stream(user("one two three"), ",\"max_completion_tokens\":3", true);

        assertThat(completion.at("/choices/0/message/content").asText()).isEqualTo("You said:");
        assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(completion.at("/usage/completion_tokens").asInt()).isEqualTo(2);
        assertThat(streamed.content()).isEqualTo("You said: one");
        assertThat(streamed.finishReason()).isEqualTo("length");
    }

    @Test
    void theEchoIsBoundedWhateverTheMessage() throws IOException {
        String huge = "word ".repeat(200_000);

        JsonNode completion = complete(user(huge), "");

        String content = completion.at("/choices/0/message/content").asText();
        assertThat(content).startsWith("You said: word word").endsWith(" …");
        assertThat(content.length()).isLessThanOrEqualTo("You said: ".length() + MockReply.MAX_QUOTED_CHARS + 2);
    }

    @Test
    void aRequestTheMockCannotReadIsAnOpenAiStyle400() throws IOException {
        for (String body : List.of("not json", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "{\"model\":\"m\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "{\"model\":\"m\",\"messages\":[]}")) {
            UpstreamRequest request = new UpstreamRequest(MockServer.uri("chat/completions", MockSettings.NONE), new Headers(),
                    body.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5), Duration.ofSeconds(5));
            try (UpstreamResponse response = CLIENT.send(request)) {
                JsonNode error = JSON.readTree(response.readBody(1 << 16));
                assertThat(response.status()).as(body).isEqualTo(400);
                assertThat(error.at("/error/type").asText()).isEqualTo("invalid_request_error");
                assertThat(error.at("/error/message").asText()).isNotBlank();
            }
        }
    }

    @Test
    void theModelsRouteAnswersAList() throws IOException {
        UpstreamRequest request = new MockProvider(deployment(MockSettings.NONE, Duration.ofSeconds(5)).provider()).probeRequest();

        try (UpstreamResponse response = CLIENT.send(request)) {
            JsonNode list = JSON.readTree(response.readBody(1 << 16));
            assertThat(response.status()).isEqualTo(200);
            assertThat(list.get("object").asText()).isEqualTo("list");
            assertThat(list.at("/data/0/id").asText()).isEqualTo("mock");
        }
    }
}
