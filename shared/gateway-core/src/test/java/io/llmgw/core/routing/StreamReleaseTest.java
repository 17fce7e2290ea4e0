package io.llmgw.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.http.Headers;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stream keeps its request object for as long as it lasts — minutes, for a coding agent whose
 * request is tens of kilobytes — so once a stream is committed to its upstream the request is let
 * go: a translated stream's raw body when its upstream call is built from the decoded request and
 * the decoded request at the commit point, a passed-through stream's body (and its parsed tree) at
 * the commit point, since failover still sends the body again until then. What a translated stream
 * still needs of its request at the end — the input tokens, should the upstream report none — is
 * the estimate taken at the commit for a large request, the exact count for a small one it keeps.
 */
class StreamReleaseTest {
    private static final String MESSAGE = "{\"model\":\"m\",\"max_tokens\":100,\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String CHAT = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    /** A chat stream from a server that ignores {@code stream_options}: no usage chunk. */
    private static final Reply WITHOUT_USAGE = Reply.sse(
            "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-b\",\"choices\":[{\"index\":0,"
                    + "\"delta\":{\"role\":\"assistant\",\"content\":\"Hello there\"},\"finish_reason\":null}]}",
            "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-b\",\"choices\":[{\"index\":0,"
                    + "\"delta\":{},\"finish_reason\":\"stop\"}]}",
            "[DONE]");

    private FakeUpstream failing;
    private FakeUpstream openai;
    private GatewayHarness harness;

    @BeforeEach
    void start() {
        failing = FakeUpstream.start();
        failing.handler(request -> Reply.json(500, "{\"error\":{\"message\":\"down\",\"type\":\"server_error\"}}"));
        openai = FakeUpstream.start();
        openai.handler(ChatScript.text("Hello there").chunkSize(64).handler());
        harness = new GatewayHarness("""
                auth: { mode: gateway, keys: ["${KEY}"] }
                routing: { retries: 0, health_check_interval: off }
                providers:
                  first: { type: openai, base_url: "%s/v1", api_key: sk-openai-00000000000000 }
                  gpt: { type: openai, base_url: "%s/v1", api_key: sk-openai-00000000000000 }
                models:
                  m: { deployments: [ { provider: gpt, model: gpt-b } ] }
                  f: { deployments: [ { provider: first, model: gpt-a }, { provider: gpt, model: gpt-b } ] }
                """.formatted(failing.baseUrl(), openai.baseUrl()));
    }

    @AfterEach
    void stop() {
        harness.close();
        openai.close();
        failing.close();
    }

    @Test
    void aTranslatedStreamLetsGoOfTheRawBodyAndStillAnswersInFull() {
        GatewayRequest request = request("/v1/messages", MESSAGE);
        BufferingSink sink = new BufferingSink();

        harness.gateway.handle(request, sink);

        assertThat(sink.status()).isEqualTo(200);
        assertThat(sink.bodyText()).contains("Hello there").contains("message_stop");
        assertThat(released(request)).isTrue();
    }

    @Test
    void aLargeTranslatedStreamWhoseUpstreamReportsNoUsageAnswersTheEstimateItKeptAtTheCommit() throws Exception {
        openai.handler(request -> WITHOUT_USAGE);
        String words = "word ".repeat(4_000);  // 20,000 characters: routing's estimate 5,000 tokens, o200k's count about 4,000
        GatewayRequest request = request("/v1/messages", MESSAGE.replace("\"hi\"", "\"" + words + "\""));
        BufferingSink sink = new BufferingSink();

        harness.gateway.handle(request, sink);

        assertThat(sink.bodyText()).contains("\"input_tokens\":5000,").contains("message_stop");
    }

    @Test
    void aSmallTranslatedStreamKeepsItsRequestAndCountsExactly() throws Exception {
        openai.handler(request -> WITHOUT_USAGE);
        BufferingSink sink = new BufferingSink();

        harness.gateway.handle(request("/v1/messages", MESSAGE), sink);

        // "hi": routing's estimate is 0 tokens; the exact count adds the per-message and reply overheads
        assertThat(sink.bodyText()).contains("\"input_tokens\":8,").contains("message_stop");
    }

    @Test
    void aPassedThroughStreamLetsGoOfItsBodyWhileItIsStillInFlight() throws Exception {
        openai.handler(request -> ChatScript.text("one two three four").chunkSize(4).reply(request).eventDelay(Duration.ofMillis(150)));
        GatewayRequest request = request("/v1/chat/completions", CHAT);
        BufferingSink sink = new BufferingSink();
        Thread stream = Thread.ofVirtual().start(() -> harness.gateway.handle(request, sink));
        AtomicReference<Boolean> releasedMidStream = new AtomicReference<>();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (releasedMidStream.get() == null && System.nanoTime() < deadline) {
            if (sink.bodyText().contains("\"one")) {  // the first event reached the client: committed, not over
                releasedMidStream.set(released(request) && !sink.completed());
            }
            Thread.sleep(5);
        }
        stream.join(5000);

        assertThat(releasedMidStream.get()).isTrue();
        assertThat(sink.bodyText()).contains("\"ur\"").contains("[DONE]");
    }

    @Test
    void aFailedOverStreamSendsTheWholeBodyAgainBeforeItCommits() {
        String chat = CHAT.replace("\"m\"", "\"f\"");
        GatewayRequest request = request("/v1/chat/completions", chat);
        BufferingSink sink = new BufferingSink();

        harness.gateway.handle(request, sink);

        assertThat(failing.requests()).hasSize(1);
        assertThat(openai.lastRequest().json().path("messages").get(0).path("content").asText()).isEqualTo("hi");
        assertThat(openai.lastRequest().json().path("model").asText()).isEqualTo("gpt-b");
        assertThat(sink.bodyText()).contains("Hello there").contains("[DONE]");
        assertThat(released(request)).isTrue();
    }

    /** Both the body and the headers were let go. */
    private static boolean released(GatewayRequest request) {
        return throwsLetGo(request::body) && throwsLetGo(request::headers);
    }

    private static boolean throwsLetGo(Runnable read) {
        try {
            read.run();
            return false;
        } catch (IllegalStateException letGo) {
            return letGo.getMessage().contains("let go");
        }
    }

    private static GatewayRequest request(String path, String body) {
        return new GatewayRequest("POST", path, null,
                Headers.of("content-type", "application/json", "authorization", "Bearer " + GatewayHarness.KEY),
                body.getBytes(StandardCharsets.UTF_8), "127.0.0.1", null);
    }
}
