package io.llmgw.core.secrets;

import io.llmgw.core.LiveGateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgw.core.Gateway;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.core.http.Headers;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.core.stream.DetachingSink;
import io.llmgw.core.upstream.OtherThreadTransport;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rebuilding the gateway while requests run on the old one, as platforms serving concurrently do. */
class LiveGatewayTest {
    private static final String OLD_KEY = "gw-old-key-0123456789abcdef0123456789";
    private static final String NEW_KEY = "gw-new-key-0123456789abcdef0123456789";
    private final Map<String, String> store = new ConcurrentHashMap<>(Map.of("PROXY_API_KEY", OLD_KEY, "OPENAI_API_KEY", "sk-up"));
    private final MutableClock clock = new MutableClock();
    private final CountDownLatch release = new CountDownLatch(1);
    private final FakeUpstream upstream = FakeUpstream.start();
    private final OtherThreadTransport transport = new OtherThreadTransport();
    private LiveGateway live;

    @AfterEach
    void stop() {
        release.countDown();
        if (live != null) {
            live.close();
        }
        transport.close();
        upstream.close();
    }

    private LiveGateway start() {
        SecretSource source = new SecretSource() {
            @Override
            public Snapshot read() {
                return new Snapshot(Map.copyOf(store), null);
            }

            @Override
            public String name() {
                return "in-memory";
            }
        };
        SecretVariables secrets = new SecretVariables(source, clock);
        secrets.load();
        Map<String, String> env = Map.of("OPENAI_BASE_URL", upstream.baseUrl() + "/v1");
        // answers arrive on a thread of their own, as on the server's event loops
        return new LiveGateway(env::get, secrets, (config, events) -> new Gateway(config,
                Gateway.Options.defaults().withEvents(events).withTransport(transport)));
    }

    private BufferingSink chat(String key) {
        byte[] body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}".getBytes(StandardCharsets.UTF_8);
        BufferingSink sink = new BufferingSink();
        live.handle(new GatewayRequest("POST", "/v1/chat/completions", null,
                Headers.of("authorization", "Bearer " + key, "content-type", "application/json"), body, null, null), sink);
        return sink;
    }

    @Test
    void aRequestStillRunningOnTheReplacedGatewayFinishesAndTheRefreshDoesNotWaitForIt() throws Exception {
        upstream.enqueue(request -> {
            try {
                release.await();  // the first request stays in flight until the test lets it go
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ChatScript.text("slow").reply(request);
        });
        upstream.handler(ChatScript.text("fast").handler());
        live = start();
        // On its own virtual thread, as a served request runs: in the common pool (one thread on a 2-core machine)
        // its blocking upstream read would hold the only thread the refresh below needs.
        CompletableFuture<BufferingSink> inFlight = CompletableFuture.supplyAsync(() -> chat(OLD_KEY),
                runnable -> Thread.ofVirtual().start(runnable));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (upstream.requests().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(upstream.requests()).hasSize(1);
        Gateway before = live.current();

        store.put("PROXY_API_KEY", NEW_KEY);
        clock.advance(Duration.ofMinutes(2));
        live.unknownGatewayKey();
        // Closing the old gateway at once would wait for the request in flight (its HTTP client drains first).
        CompletableFuture.runAsync(live::refreshIfRequested).get(10, TimeUnit.SECONDS);
        assertThat(live.current()).isNotSameAs(before);
        assertThat(inFlight).isNotDone();

        assertThat(chat(NEW_KEY).status()).isEqualTo(200);
        release.countDown();
        BufferingSink slow = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(slow.status()).isEqualTo(200);
        assertThat(slow.bodyText()).contains("slow");
    }

    @Test
    void aStreamThatOutlivesItsRequestThreadKeepsTheReplacedGatewayOpenUntilItEnds() throws Exception {
        upstream.handler(request -> ChatScript.text("one two three").chunkSize(4).reply(request).eventDelay(Duration.ofMillis(700)));
        live = start();
        Gateway before = live.current();
        byte[] body = "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        DetachingSink stream = new DetachingSink();
        live.handle(new GatewayRequest("POST", "/v1/chat/completions", null,
                Headers.of("authorization", "Bearer " + OLD_KEY, "content-type", "application/json"), body, null, null), stream);
        assertThat(stream.detached()).isTrue();
        assertThat(stream.completed()).isFalse();

        store.put("PROXY_API_KEY", NEW_KEY);
        clock.advance(Duration.ofMinutes(2));
        live.unknownGatewayKey();
        // The replaced gateway is closed when the stream ends, not when its request's thread returned: closing it
        // now would wait for the stream's upstream connection, and the refresh with it.
        CompletableFuture.runAsync(live::refreshIfRequested).get(1, TimeUnit.SECONDS);
        assertThat(live.current()).isNotSameAs(before);
        assertThat(stream.completed()).isFalse();

        assertThat(stream.ended().await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.bodyText()).contains("\"thr").contains("[DONE]");
    }

    @Test
    void nothingIsRefreshedUnlessARequestAskedAndAnAskIsServedOnce() {
        upstream.handler(ChatScript.text("ok").handler());
        live = start();
        Gateway first = live.current();
        clock.advance(Duration.ofMinutes(2));
        live.refreshIfRequested();
        assertThat(live.current()).isSameAs(first);

        store.put("PROXY_API_KEY", NEW_KEY);
        assertThat(chat(NEW_KEY).status()).isEqualTo(401);
        assertThat(live.refreshRequested()).isTrue();
        live.refreshIfRequested();
        assertThat(live.refreshRequested()).isFalse();
        assertThat(chat(NEW_KEY).status()).isEqualTo(200);
    }

    @Test
    void aClosedLiveGatewayRefusesRequests() {
        live = start();
        live.close();
        assertThatThrownBy(() -> chat(OLD_KEY)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        live = null;
    }
}
