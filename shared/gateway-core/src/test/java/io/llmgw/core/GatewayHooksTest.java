package io.llmgw.core;

import io.llmgw.core.web.GatewayRequest;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.http.Headers;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.core.telemetry.GatewayEvents;
import io.llmgw.core.telemetry.Metrics;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What platforms hook into: credential events and the invocation deadline. */
class GatewayHooksTest {
    private static final String KEY = "hooks-gateway-key-0123456789abcdef012345";
    private static final byte[] CHAT = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8);

    private final List<String> events = new ArrayList<>();
    private FakeUpstream upstream;
    private Gateway gateway;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        upstream = FakeUpstream.start();
        GatewayConfig config = OneUpstream.config(dir, KEY, upstream);
        GatewayEvents credentialEvents = new GatewayEvents() {
            @Override
            public void unknownGatewayKey() {
                events.add("unknown-key");
            }

            @Override
            public void upstreamCredentialRejected(String provider) {
                events.add("rejected:" + provider);
            }
        };
        Metrics metrics = new Metrics() {
            @Override
            public void requestFinished(io.llmgw.core.telemetry.RequestContext ctx) {
                events.add("completed:" + ctx.status());
            }
        };
        gateway = new Gateway(config, Gateway.Options.defaults().withEvents(credentialEvents).withMetrics(metrics));
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    private BufferingSink send(String key, Instant deadline) {
        BufferingSink sink = new BufferingSink();
        Headers headers = Headers.of("content-type", "application/json", "authorization", "Bearer " + key);
        gateway.handle(new GatewayRequest("POST", "/v1/chat/completions", null, headers, CHAT, null, null, deadline), sink);
        return sink;
    }

    @Test
    void unknownGatewayKeyIsSignalled() {
        assertThat(send("not-the-gateway-key-000000000000000000", null).status()).isEqualTo(401);
        assertThat(events).containsExactly("unknown-key", "completed:401");
    }

    @Test
    void missingKeyIsNotSignalled() {
        BufferingSink sink = new BufferingSink();
        gateway.handle(new GatewayRequest("POST", "/v1/chat/completions", null, Headers.of("content-type", "application/json"),
                CHAT, null, null), sink);
        assertThat(sink.status()).isEqualTo(401);
        assertThat(events).containsExactly("completed:401");
    }

    @Test
    void rejectedUpstreamCredentialIsSignalledWithTheProvider() {
        upstream.enqueue(Reply.json(401, "{\"error\":{\"message\":\"bad key\",\"code\":\"invalid_api_key\"}}"));
        assertThat(send(KEY, null).status()).isEqualTo(502);
        assertThat(events).containsExactly("rejected:up", "completed:502");
    }

    @Test
    void deadlineBoundsTheUpstreamCall() {
        upstream.enqueue(Reply.json(200, ChatScript.text("late").completion()).delayFirstByte(Duration.ofSeconds(3)));
        long start = System.nanoTime();
        BufferingSink sink = send(KEY, Instant.now().plusMillis(400));
        assertThat(sink.status()).isEqualTo(504);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void passedDeadlineFailsWithoutCallingTheUpstream() {
        assertThat(send(KEY, Instant.now().minusSeconds(1)).status()).isEqualTo(504);
        assertThat(upstream.requests()).isEmpty();
    }
}
