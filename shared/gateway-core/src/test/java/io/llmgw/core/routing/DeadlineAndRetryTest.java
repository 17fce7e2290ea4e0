package io.llmgw.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.stream.BufferingSink;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.Reply;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One deadline across all attempts; retries back off and honour retry-after only within it. */
class DeadlineAndRetryTest {
    private static String threeDeployments(FakeUpstream a, FakeUpstream b, FakeUpstream c, String routing) {
        return """
                auth: { mode: gateway, keys: ["${KEY}"] }
                routing: %s
                providers:
                  a: { type: openai, base_url: "%s/v1", timeout: 1s, api_key: sk-a-0000000000000000 }
                  b: { type: openai, base_url: "%s/v1", timeout: 1s, api_key: sk-b-0000000000000000 }
                  c: { type: openai, base_url: "%s/v1", timeout: 1s, api_key: sk-c-0000000000000000 }
                models:
                  m: { deployments: [ { provider: a }, { provider: b }, { provider: c } ] }
                """.formatted(routing, a.baseUrl(), b.baseUrl(), c.baseUrl());
    }

    @Test
    void noAttemptStartsAfterTheDeadline() {
        try (FakeUpstream a = FakeUpstream.start(); FakeUpstream b = FakeUpstream.start(); FakeUpstream c = FakeUpstream.start();
             GatewayHarness harness = new GatewayHarness(threeDeployments(a, b, c, "{ deadline: 1500ms }"))) {
            Reply late = Reply.json(200, ChatScript.text("late").completion()).delayFirstByte(Duration.ofSeconds(5));
            a.handler(request -> late);
            b.handler(request -> late);
            c.handler(ChatScript.text("never reached").handler());

            long start = System.nanoTime();
            BufferingSink sink = harness.chat("m", false);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(sink.status()).isEqualTo(504);
            assertThat(a.requests()).hasSize(1);
            assertThat(b.requests()).hasSize(1);
            assertThat(c.requests()).isEmpty();
            // a times out after its 1 s, b gets only what is left of the 1.5 s budget
            assertThat(took).isBetween(Duration.ofMillis(1400), Duration.ofMillis(2500));
        }
    }

    @Test
    void shortRetryAfterIsWaitedForThenRetried() {
        try (FakeUpstream a = FakeUpstream.start();
             GatewayHarness harness = new GatewayHarness("""
                     auth: { mode: gateway, keys: ["${KEY}"] }
                     providers:
                       a: { type: openai, base_url: "%s/v1", api_key: sk-a-0000000000000000 }
                     models:
                       m: { deployments: [ { provider: a } ] }
                     """.formatted(a.baseUrl()))) {
            a.enqueue(Reply.json(429, "{\"error\":{\"message\":\"wait\",\"code\":\"rate_limit_exceeded\"}}").header("retry-after-ms", "400"));
            a.handler(ChatScript.text("after the pause").handler());
            long start = System.nanoTime();
            BufferingSink sink = harness.chat("m", false);
            assertThat(sink.status()).isEqualTo(200);
            assertThat(sink.bodyText()).contains("after the pause");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
            assertThat(a.requests()).hasSize(2);
        }
    }

    @Test
    void retryAfterBeyondTheDeadlineIsHandedToTheClient() {
        try (FakeUpstream a = FakeUpstream.start();
             GatewayHarness harness = new GatewayHarness("""
                     auth: { mode: gateway, keys: ["${KEY}"] }
                     routing: { deadline: 2s, backoff: { max: 10s } }
                     providers:
                       a: { type: openai, base_url: "%s/v1", api_key: sk-a-0000000000000000 }
                     models:
                       m: { deployments: [ { provider: a } ] }
                     """.formatted(a.baseUrl()))) {
            a.handler(request -> Reply.json(429, "{\"error\":{\"message\":\"wait\",\"code\":\"rate_limit_exceeded\"}}").header("retry-after", "5"));
            long start = System.nanoTime();
            BufferingSink sink = harness.chat("m", false);
            assertThat(sink.status()).isEqualTo(429);
            assertThat(sink.headers().first("retry-after")).isEqualTo("5");
            assertThat(a.requests()).hasSize(1);
            // not held for the 5 s the upstream asked for (it would not fit in the 2 s deadline anyway)
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void transientFailuresOnASingleDeploymentAreRetriedWithBackoff() {
        try (FakeUpstream a = FakeUpstream.start();
             GatewayHarness harness = new GatewayHarness("""
                     auth: { mode: gateway, keys: ["${KEY}"] }
                     routing: { retries: 2, backoff: { initial: 100ms, max: 1s } }
                     providers:
                       a: { type: openai, base_url: "%s/v1", api_key: sk-a-0000000000000000 }
                     models:
                       m: { deployments: [ { provider: a } ] }
                     """.formatted(a.baseUrl()))) {
            a.enqueue(Reply.json(502, "{\"error\":{\"message\":\"bad gateway\"}}"));
            a.enqueue(Reply.reset());
            a.handler(ChatScript.text("third time lucky").chunkSize(100).handler());
            BufferingSink sink = harness.chat("m", true);
            assertThat(sink.status()).isEqualTo(200);
            assertThat(sink.bodyText()).contains("lucky");
            assertThat(a.requests()).hasSize(3);
        }
    }
}
