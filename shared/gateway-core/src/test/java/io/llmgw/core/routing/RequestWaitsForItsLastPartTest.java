package io.llmgw.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.stream.BufferingSink;
import io.llmgw.core.upstream.UpstreamClient;
import io.llmgw.core.upstream.UpstreamListener;
import io.llmgw.core.upstream.UpstreamRequest;
import io.llmgw.core.upstream.UpstreamTransport;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import java.net.ConnectException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A first attempt whose failure arrives on another thread at once, while the request's thread has not
 * yet looked whether an exchange is still going: the request waits for that failure's part, which
 * fails over to the second deployment, and the client gets the second's answer — not an empty one.
 */
class RequestWaitsForItsLastPartTest {
    private FakeUpstream second;
    private final FailsFirstOnAnotherThread transport = new FailsFirstOnAnotherThread();
    private GatewayHarness harness;

    @BeforeEach
    void start() {
        second = FakeUpstream.start().handler(ChatScript.text("from the second").chunkSize(100).handler());
        harness = new GatewayHarness("""
                auth: { mode: gateway, keys: ["${KEY}"] }
                routing: { health_check_interval: off }
                providers:
                  a: { type: openai, base_url: "http://127.0.0.1:9/v1", api_key: sk-a-0000000000000000, timeout: 1s }
                  b: { type: openai, base_url: "%s/v1", api_key: sk-b-0000000000000000, timeout: 1s }
                models:
                  m: { deployments: [ { provider: a, model: ma }, { provider: b, model: mb } ] }
                """.formatted(second.baseUrl()), java.time.Clock.systemUTC(), transport);
    }

    @AfterEach
    void stop() {
        harness.close();
        transport.close();
        second.close();
    }

    @Test
    void aFailureHeardBeforeTheRequestsThreadLooksIsWaitedFor() {
        for (boolean stream : new boolean[] {false, true}) {
            transport.calls.set(0);
            BufferingSink sink = harness.chat("m", stream);
            assertThat(sink.status()).as(sink.bodyText()).isEqualTo(200);
            assertThat(sink.bodyText()).contains("from the second");
        }
    }

    /**
     * Its first exchange fails on a thread of its own, and the send returns only once that thread is
     * inside the failure (waiting for the request's turn): the moment the request's thread could
     * otherwise find no exchange going on. Later exchanges go to the network on threads of their own.
     */
    private static final class FailsFirstOnAnotherThread implements UpstreamTransport, AutoCloseable {
        final AtomicInteger calls = new AtomicInteger();
        private final UpstreamClient client = new UpstreamClient();

        @Override
        public void send(UpstreamRequest request, Consumer<Runnable> cancellation, UpstreamListener listener) {
            if (calls.getAndIncrement() > 0) {
                Thread.ofPlatform().daemon().start(() -> client.send(request, cancellation, listener));
                return;
            }
            Thread failing = Thread.ofPlatform().daemon().start(() -> listener.onFailure(new ConnectException("refused"), false));
            while (failing.isAlive() && failing.getState() != Thread.State.WAITING && failing.getState() != Thread.State.BLOCKED) {
                Thread.onSpinWait();
            }
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
