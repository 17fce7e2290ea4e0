package io.llmgw.core.routing;

import io.llmgw.core.upstream.OtherThreadTransport;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.http.Headers;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.core.stream.DetachingSink;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Upstream answers that arrive on another thread than the request's (as an event loop's do): a
 * platform that can let the request's thread go gets it back before the answer, and the answer —
 * whole, streamed or an error — is written from the thread it arrived on, and the request ends once,
 * there. A platform that cannot let go waits for the answer's parts.
 */
class AnswersOnAnotherThreadTest {
    private FakeUpstream upstream;
    private OtherThreadTransport transport;
    private GatewayHarness harness;

    @BeforeEach
    void start() {
        upstream = FakeUpstream.start();
        transport = new OtherThreadTransport();
        harness = new GatewayHarness("auth: { mode: gateway, keys: [\"${KEY}\"] }\n" + GatewayHarness.oneOpenAiModel(upstream.baseUrl()),
                Clock.systemUTC(), transport);
    }

    @AfterEach
    void stop() {
        harness.close();
        transport.close();
        upstream.close();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theAnswerIsWrittenAndTheRequestEndedOnTheThreadItArrivedOn(boolean stream) throws InterruptedException {
        upstream.handler(ChatScript.text("an answer from the loop").chunkSize(5).handler());
        AtomicInteger ended = new AtomicInteger();
        DetachingSink sink = new DetachingSink();
        harness.gateway.handle(chat(stream), sink, ended::incrementAndGet);

        assertThat(sink.detached()).as("the request's thread was let go").isTrue();
        assertThat(sink.ended().await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sink.status()).isEqualTo(200);
        assertThat(sink.bodyText()).contains(stream ? "an an" : "an answer from the loop");
        if (stream) {
            assertThat(sink.bodyText()).endsWith("data: [DONE]\n\n");
        }
        assertThat(sink.completedOn().getName()).isEqualTo(OtherThreadTransport.THREAD_NAME);
        assertThat(transport.exchanges()).isEqualTo(1);
        awaitOne(ended);
    }

    @Test
    void anUpstreamErrorIsAnsweredInTheClientsDialectFromThatThread() throws InterruptedException {
        upstream.enqueue(Reply.json(400, "{\"error\":{\"message\":\"bad field\",\"type\":\"invalid_request_error\"}}"));
        AtomicInteger ended = new AtomicInteger();
        DetachingSink sink = new DetachingSink();
        harness.gateway.handle(chat(false), sink, ended::incrementAndGet);

        assertThat(sink.ended().await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sink.status()).isEqualTo(400);
        assertThat(sink.bodyText()).contains("\"error\"").contains("bad field");
        awaitOne(ended);
    }

    @Test
    void aPlatformThatCannotLetGoWaitsForTheAnswer() {
        upstream.handler(ChatScript.text("waited for").handler());
        AtomicInteger ended = new AtomicInteger();
        BufferingSink sink = new BufferingSink();
        harness.gateway.handle(chat(false), sink, ended::incrementAndGet);

        assertThat(sink.completed()).as("complete when handle returns").isTrue();
        assertThat(sink.bodyText()).contains("waited for");
        assertThat(ended.get()).isEqualTo(1);
    }

    private static GatewayRequest chat(boolean stream) {
        return new GatewayRequest("POST", "/v1/chat/completions", null,
                Headers.of("content-type", "application/json", "authorization", "Bearer " + GatewayHarness.KEY),
                GatewayHarness.chatBody("m", stream).getBytes(StandardCharsets.UTF_8), "127.0.0.1", null);
    }

    /** The request ends once: its end runs on the answer's thread after the response completed, so give it a moment. */
    private static void awaitOne(AtomicInteger ended) throws InterruptedException {
        for (int i = 0; i < 200 && ended.get() == 0; i++) {
            Thread.sleep(10);
        }
        Thread.sleep(50);
        assertThat(ended.get()).isEqualTo(1);
    }
}
