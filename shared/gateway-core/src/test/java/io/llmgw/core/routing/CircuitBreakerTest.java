package io.llmgw.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.MutableClock;
import io.llmgw.testing.Reply;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A deployment's circuit opens at the threshold, skips it while open, and half-opens after the wait (on a test clock). */
class CircuitBreakerTest {
    private final MutableClock clock = new MutableClock();
    private FakeUpstream upstream;
    private GatewayHarness harness;

    @BeforeEach
    void start() {
        upstream = FakeUpstream.start();
        upstream.handler(request -> Reply.json(500, "{\"error\":{\"message\":\"down\"}}"));
        harness = new GatewayHarness("""
                auth: { mode: gateway, keys: ["${KEY}"] }
                routing: { retries: 0 }
                providers:
                  a: { type: openai, base_url: "%s/v1", api_key: sk-a-0000000000000000 }
                models:
                  m: { deployments: [ { provider: a, model: ma } ] }
                """.formatted(upstream.baseUrl()), clock);
    }

    @AfterEach
    void stop() {
        harness.close();
        upstream.close();
    }

    private CircuitBreaker.State state() {
        return harness.gateway.health().deployment("a/ma").state();
    }

    @Test
    void opensAfterFiveConsecutiveFailuresAndHalfOpensAfterTheWait() {
        for (int i = 0; i < 4; i++) {
            assertThat(harness.chat("m", false).status()).isEqualTo(500);
            assertThat(state()).isEqualTo(CircuitBreaker.State.CLOSED);
        }
        assertThat(harness.chat("m", false).status()).isEqualTo(500);
        assertThat(state()).isEqualTo(CircuitBreaker.State.OPEN);

        BufferingSink refused = harness.chat("m", true);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.bodyText()).contains("all_deployments_unavailable");
        assertThat(Long.parseLong(refused.headers().first("retry-after"))).isBetween(59L, 60L);
        assertThat(upstream.requests()).hasSize(5);

        clock.advance(Duration.ofSeconds(59));
        assertThat(harness.chat("m", false).status()).isEqualTo(503);
        assertThat(upstream.requests()).hasSize(5);

        clock.advance(Duration.ofSeconds(2));
        upstream.handler(ChatScript.text("back").handler());
        assertThat(harness.chat("m", false).status()).isEqualTo(200);
        assertThat(state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(upstream.requests()).hasSize(6);
        harness.chat("m", false);
        harness.chat("m", false);
        assertThat(state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void opensAtHalfFailuresOverTheWindow() {
        // Alternating failures never reach five in a row, but half of the last ten calls failed.
        for (int i = 0; i < 10; i++) {
            upstream.enqueue(i % 2 == 0 ? Reply.json(500, "{\"error\":{\"message\":\"down\"}}") : Reply.json(200, ChatScript.text("ok").completion()));
            harness.chat("m", false);
        }
        assertThat(state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void badRequestsDoNotCountAgainstTheDeployment() {
        upstream.handler(request -> Reply.json(400, "{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\"}}"));
        for (int i = 0; i < 12; i++) {
            assertThat(harness.chat("m", false).status()).isEqualTo(400);
        }
        assertThat(state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void aFailureInHalfOpenReopens() {
        for (int i = 0; i < 5; i++) {
            harness.chat("m", false);
        }
        clock.advance(Duration.ofSeconds(61));
        assertThat(harness.chat("m", false).status()).isEqualTo(500);
        // three trial calls are allowed; once they failed the circuit is open again
        harness.chat("m", false);
        harness.chat("m", false);
        assertThat(state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(harness.chat("m", false).status()).isEqualTo(503);
    }
}
