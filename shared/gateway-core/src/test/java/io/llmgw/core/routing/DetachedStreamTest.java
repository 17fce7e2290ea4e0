package io.llmgw.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.http.Headers;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.core.stream.DetachingSink;
import io.llmgw.core.upstream.OtherThreadTransport;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where the platform can finish a response after the request's thread returned and the upstream's answer
 * arrives on another thread (an event loop's), the request's thread returns once the request is sent and
 * the stream is relayed from the thread its bytes arrive on. The request is still in flight until the
 * stream ends: admission counts it, a per-key concurrency slot stays taken, and the end — the answer
 * completed, the slot given back — comes from that thread. With the blocking client the whole stream is
 * relayed on the request's thread, whatever the platform could do.
 */
class DetachedStreamTest {
    private static final String ALICE = "alice-virtual-key-0123456789abcdef0123456";
    private static final String CHAT = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private FakeUpstream openai;
    private final OtherThreadTransport transport = new OtherThreadTransport();
    private GatewayHarness harness;

    @BeforeEach
    void start() {
        openai = FakeUpstream.start();
        openai.handler(request -> ChatScript.text("one two three four").chunkSize(4).reply(request).eventDelay(Duration.ofMillis(100)));
        harness = new GatewayHarness(yaml(), java.time.Clock.systemUTC(), transport);
    }

    private String yaml() {
        return """
                auth:
                  mode: gateway
                  keys: ["${KEY}"]
                  virtual_keys:
                    - { name: alice, key: %s, limits: { concurrent: 1 } }
                """.formatted(ALICE) + GatewayHarness.oneOpenAiModel(openai.baseUrl());
    }

    @AfterEach
    void stop() {
        harness.close();
        transport.close();
        openai.close();
    }

    @Test
    void theRequestThreadReturnsMidStreamAndTheStreamEndsTheRequestFromItsOwnThread() throws Exception {
        DetachingSink sink = new DetachingSink();

        harness.gateway.handle(request(ALICE), sink);

        assertThat(sink.detached()).isTrue();
        assertThat(sink.completed()).isFalse();  // handle returned with the stream still in flight
        assertThat(harness.gateway.inFlightRequests()).isEqualTo(1);
        assertThat(sink.ended().await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sink.bodyText()).contains("\"one").contains("\"ur\"").contains("[DONE]");
        assertThat(sink.completedOn()).isNotEqualTo(Thread.currentThread());
        assertThat(eventually(() -> harness.gateway.inFlightRequests() == 0)).isTrue();
    }

    @Test
    void aConcurrencySlotStaysTakenUntilTheDetachedStreamEnds() throws Exception {
        DetachingSink first = new DetachingSink();

        harness.gateway.handle(request(ALICE), first);
        BufferingSink refused = new BufferingSink();
        harness.gateway.handle(request(ALICE), refused);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.bodyText()).contains("1 concurrent requests");
        assertThat(first.ended().await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(eventually(() -> {
            BufferingSink again = new BufferingSink();
            harness.gateway.handle(request(ALICE), again);
            return again.status() == 200 && again.bodyText().contains("[DONE]");
        })).isTrue();
    }

    @Test
    void aStreamThatBreaksOnItsOwnThreadStillEndsWithAnErrorEventAndEndsTheRequest() throws Exception {
        openai.handler(request -> Reply.sse(
                "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-b\",\"choices\":[{\"index\":0,"
                        + "\"delta\":{\"role\":\"assistant\",\"content\":\"Hello\"},\"finish_reason\":null}]}",
                "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-b\",\"choices\":[{\"index\":0,"
                        + "\"delta\":{\"content\":\" there\"},\"finish_reason\":null}]}",
                "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":",
                "[DONE]").eventDelay(Duration.ofMillis(300)));  // the request's thread long gone when the broken one comes
        DetachingSink sink = new DetachingSink();

        harness.gateway.handle(new GatewayRequest("POST", "/v1/messages", null,
                Headers.of("content-type", "application/json", "authorization", "Bearer " + GatewayHarness.KEY),
                "{\"model\":\"m\",\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                        .getBytes(StandardCharsets.UTF_8), "127.0.0.1", null), sink);

        assertThat(sink.detached()).isTrue();
        assertThat(sink.ended().await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sink.bodyText()).contains("Hello").contains("event: error");
        assertThat(eventually(() -> harness.gateway.inFlightRequests() == 0)).isTrue();
    }

    @Test
    void withTheBlockingClientAStreamIsRelayedOnTheRequestThreadEvenWhereThePlatformCouldDetach() {
        try (GatewayHarness blocking = new GatewayHarness(yaml())) {
            DetachingSink sink = new DetachingSink();

            blocking.gateway.handle(request(ALICE), sink);

            assertThat(sink.detached()).isFalse();
            assertThat(sink.completed()).isTrue();
            assertThat(sink.completedOn()).isEqualTo(Thread.currentThread());
            assertThat(sink.bodyText()).contains("[DONE]");
            assertThat(blocking.gateway.inFlightRequests()).isZero();
        }
    }

    @Test
    void aPlatformThatCannotDetachRelaysTheStreamOnTheRequestThread() {
        BufferingSink sink = new BufferingSink();

        harness.gateway.handle(request(GatewayHarness.KEY), sink);

        assertThat(sink.completed()).isTrue();
        assertThat(sink.bodyText()).contains("[DONE]");
        assertThat(harness.gateway.inFlightRequests()).isZero();
    }

    private static boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    private static GatewayRequest request(String key) {
        return new GatewayRequest("POST", "/v1/chat/completions", null,
                Headers.of("content-type", "application/json", "authorization", "Bearer " + key),
                CHAT.getBytes(StandardCharsets.UTF_8), "127.0.0.1", null);
    }
}
