package io.llmgw.core.cache;

import static io.llmgw.core.cache.CacheHarness.json;
import static io.llmgw.core.cache.CacheHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.testing.AnthropicStreams;
import io.llmgw.testing.ChatStreams;
import io.llmgw.testing.ResponsesStreams;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same question asked twice is answered once upstream, on every path — each client dialect
 * passed through to an upstream of its own kind or translated for another — and the stored answer
 * comes back in the client's dialect, streamed or not as it asks now, whichever way it was first
 * delivered: a replayed stream passes the same strict grammar checks as a live one.
 */
class ResponseCacheTest {
    private static CacheHarness harness;
    /** Each test asks its own question, so no entry of another answers it. */
    private static String question;

    /** One client dialect: where it posts, its request, and how to read the answer's text whole and streamed. */
    enum Client {
        CHAT("/v1/chat/completions", "{\"model\":\"%s\",\"stream\":%s,\"temperature\":0.2,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"%s\"}]}",
                whole -> whole.at("/choices/0/message/content").asText(), stream -> ChatStreams.check(stream, false).content(),
                whole -> whole.path("id").asText()),
        ANTHROPIC("/v1/messages", "{\"model\":\"%s\",\"stream\":%s,\"max_tokens\":200,\"temperature\":0.2,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"%s\"}]}",
                whole -> joined(whole.path("content"), "text"),
                stream -> String.join("", AnthropicStreams.check(stream).blocks().stream().map(AnthropicStreams.Block::text).toList()),
                whole -> whole.path("id").asText()),
        RESPONSES("/v1/responses", "{\"model\":\"%s\",\"stream\":%s,\"temperature\":0.2,\"input\":\"%s\"}",
                ResponseCacheTest::outputText, stream -> outputText(ResponsesStreams.check(stream)), whole -> whole.path("id").asText());

        final String path;
        final String body;
        final Function<JsonNode, String> wholeText;
        final Function<String, String> streamText;
        final Function<JsonNode, String> id;

        Client(String path, String body, Function<JsonNode, String> wholeText, Function<String, String> streamText,
               Function<JsonNode, String> id) {
            this.path = path;
            this.body = body;
            this.wholeText = wholeText;
            this.streamText = streamText;
            this.id = id;
        }

        BufferingSink ask(String model, boolean stream) {
            return harness.post(path, body.formatted(model, stream, question));
        }
    }

    static Stream<Arguments> paths() {
        return Stream.of(
                Arguments.of(Client.CHAT, "gpt-cached"),          // passed through
                Arguments.of(Client.CHAT, "claude-cached"),       // translated
                Arguments.of(Client.ANTHROPIC, "claude-cached"),  // passed through
                Arguments.of(Client.ANTHROPIC, "gpt-cached"),     // translated
                Arguments.of(Client.RESPONSES, "gpt-cached"),     // translated
                Arguments.of(Client.RESPONSES, "claude-cached")); // translated
    }

    @BeforeAll
    static void start() {
        harness = new CacheHarness("cache: { enabled: true }\n");
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @BeforeEach
    void newQuestion() {
        question = "What is cached? " + System.nanoTime();
        harness.chat = io.llmgw.testing.ChatScript.text("Answer " + System.nanoTime() + ", from upstream.").usage(12, 7).handler();
        harness.anthropic = io.llmgw.testing.AnthropicScript.text("Answer " + System.nanoTime() + ", from upstream.").usage(12, 7).handler();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("paths")
    void theSameRequestTwiceIsOneUpstreamCallWithTheSameContent(Client client, String model) {
        int before = harness.calls();
        BufferingSink first = client.ask(model, false);
        BufferingSink second = client.ask(model, false);

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(harness.calls() - before).as("upstream calls").isEqualTo(1);
        assertThat(first.headers().first("x-gateway-cache")).isEqualTo("miss");
        assertThat(second.headers().first("x-gateway-cache")).isEqualTo("hit");
        assertThat(client.wholeText.apply(json(second))).isEqualTo(client.wholeText.apply(json(first))).startsWith("Answer ");
        assertThat(client.id.apply(json(second))).as("a fresh id per answer").isNotEqualTo(client.id.apply(json(first)));
        assertThat(json(second).path("model").asText()).isEqualTo(model);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("paths")
    void aStreamedRequestIsAnsweredFromANonStreamedOneAsAWellFormedStream(Client client, String model) {
        int before = harness.calls();
        BufferingSink whole = client.ask(model, false);
        BufferingSink streamed = client.ask(model, true);
        BufferingSink again = client.ask(model, true);

        assertThat(harness.calls() - before).isEqualTo(1);
        assertThat(streamed.headers().first("x-gateway-cache")).isEqualTo("hit");
        assertThat(streamed.headers().first("content-type")).startsWith("text/event-stream");
        assertThat(client.streamText.apply(text(streamed))).isEqualTo(client.wholeText.apply(json(whole)));
        assertThat(client.streamText.apply(text(again))).isEqualTo(client.wholeText.apply(json(whole)));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("paths")
    void aNonStreamedRequestIsAnsweredFromAStreamedOne(Client client, String model) {
        int before = harness.calls();
        BufferingSink streamed = client.ask(model, true);
        BufferingSink whole = client.ask(model, false);
        BufferingSink streamedAgain = client.ask(model, true);

        assertThat(harness.calls() - before).isEqualTo(1);
        assertThat(streamed.headers().first("x-gateway-cache")).isEqualTo("miss");
        assertThat(whole.headers().first("x-gateway-cache")).isEqualTo("hit");
        assertThat(streamedAgain.headers().first("x-gateway-cache")).isEqualTo("hit");
        String live = client.streamText.apply(text(streamed));
        assertThat(live).startsWith("Answer ");
        assertThat(client.wholeText.apply(json(whole))).isEqualTo(live);
        assertThat(client.streamText.apply(text(streamedAgain))).isEqualTo(live);
    }

    private static String joined(JsonNode blocks, String field) {
        StringBuilder text = new StringBuilder();
        blocks.forEach(block -> text.append(block.path(field).asText("")));
        return text.toString();
    }

    private static String outputText(JsonNode response) {
        StringBuilder text = new StringBuilder();
        for (JsonNode item : response.path("output")) {
            for (JsonNode part : item.path("content")) {
                if (part.path("type").asText().equals("output_text")) {
                    text.append(part.path("text").asText());
                }
            }
        }
        return text.toString();
    }
}
