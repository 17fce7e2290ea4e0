package io.llmgw.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.stream.BufferingSink;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.Reply;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Context-window fallback, condensing, and the concurrency caps. */
class ContextAndConcurrencyTest {
    private static final String CONTEXT_ERROR = "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens.\","
            + "\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}";

    private static String twoDeployments(FakeUpstream small, FakeUpstream large, String smallWindow, String largeWindow, String model) {
        return """
                auth: { mode: gateway, keys: ["${KEY}"] }
                providers:
                  s: { type: openai, base_url: "%s/v1", api_key: sk-s-0000000000000000 }
                  l: { type: openai, base_url: "%s/v1", api_key: sk-l-0000000000000000 }
                models:
                  m:
                    %s
                    deployments: [ { provider: s %s }, { provider: l %s } ]
                """.formatted(small.baseUrl(), large.baseUrl(), model, smallWindow, largeWindow);
    }

    private static String longConversation(int turns) {
        StringBuilder messages = new StringBuilder("[{\"role\":\"system\",\"content\":\"You are terse.\"}");
        for (int i = 0; i < turns; i++) {
            messages.append(",{\"role\":\"user\",\"content\":\"question ").append(i).append(' ').append("x".repeat(400)).append("\"}")
                    .append(",{\"role\":\"assistant\",\"content\":\"answer ").append(i).append("\"}");
        }
        messages.append(",{\"role\":\"user\",\"content\":\"the latest question\"}]");
        return "{\"model\":\"m\",\"messages\":" + messages + "}";
    }

    @Test
    void upstreamReportingContextTooLongMovesToALargerWindow() {
        try (FakeUpstream small = FakeUpstream.start(); FakeUpstream large = FakeUpstream.start();
             GatewayHarness harness = new GatewayHarness(twoDeployments(small, large, ", context_window: 8192",
                     ", context_window: 128000", ""))) {
            small.handler(request -> Reply.json(400, CONTEXT_ERROR));
            large.handler(ChatScript.text("fits here").handler());
            BufferingSink sink = harness.chat("m", false);
            assertThat(sink.status()).isEqualTo(200);
            assertThat(sink.bodyText()).contains("fits here");
        }
    }

    @Test
    void estimatedSizeSkipsDeploymentsThatCannotFit() {
        try (FakeUpstream small = FakeUpstream.start(); FakeUpstream large = FakeUpstream.start();
             GatewayHarness harness = new GatewayHarness(twoDeployments(small, large, ", context_window: 500",
                     ", context_window: 128000", ""))) {
            large.handler(ChatScript.text("large one").handler());
            BufferingSink sink = harness.post("/v1/chat/completions", longConversation(20));
            assertThat(sink.status()).isEqualTo(200);
            assertThat(small.requests()).isEmpty();
        }
    }

    @Test
    void withoutALargerWindowTheContextErrorReachesTheClient() {
        try (FakeUpstream small = FakeUpstream.start(); FakeUpstream large = FakeUpstream.start();
             GatewayHarness harness = new GatewayHarness(twoDeployments(small, large, ", context_window: 8192", ", context_window: 8192", ""))) {
            small.handler(request -> Reply.json(400, CONTEXT_ERROR));
            BufferingSink sink = harness.chat("m", false);
            assertThat(sink.status()).isEqualTo(400);
            assertThat(sink.bodyText()).contains("context_length_exceeded");
            assertThat(large.requests()).isEmpty();
        }
    }

    @Test
    void condenseDropsTheOldestTurnsAndSaysSo() {
        try (FakeUpstream small = FakeUpstream.start(); FakeUpstream large = FakeUpstream.start();
             GatewayHarness harness = new GatewayHarness(twoDeployments(small, large, ", context_window: 1000", ", context_window: 2000",
                     "condense: true"))) {
            large.handler(ChatScript.text("condensed answer").handler());
            BufferingSink sink = harness.post("/v1/chat/completions", longConversation(30));
            assertThat(sink.status()).as(sink.bodyText()).isEqualTo(200);
            assertThat(sink.headers().first("x-gateway-condensed")).startsWith("dropped-messages=");
            var sent = large.lastRequest().json().get("messages");
            assertThat(sent.get(0).get("role").asText()).isEqualTo("system");
            assertThat(sent.get(1).get("role").asText()).isEqualTo("user");
            assertThat(sent.get(sent.size() - 1).get("content").asText()).isEqualTo("the latest question");
            assertThat(sent.size()).isLessThan(62);
            assertThat(large.lastRequest().body().length / 4).isLessThanOrEqualTo(2000);
        }
    }

    @Test
    void tooLongForEveryWindowWithoutCondenseIsA400() {
        try (FakeUpstream small = FakeUpstream.start(); FakeUpstream large = FakeUpstream.start();
             GatewayHarness harness = new GatewayHarness(twoDeployments(small, large, ", context_window: 100", ", context_window: 200", ""))) {
            BufferingSink sink = harness.post("/v1/chat/completions", longConversation(30));
            assertThat(sink.status()).isEqualTo(400);
            assertThat(sink.bodyText()).contains("context_length_exceeded", "largest: 200");
            assertThat(small.requests()).isEmpty();
            assertThat(large.requests()).isEmpty();
        }
    }

    @Test
    void providerConcurrencyCapRefusesExcessWithRetryAfter() throws Exception {
        try (OneHeld held = new OneHeld("retries: 0", ", max_concurrency: 1")) {
            BufferingSink refused = held.harness.chat("m", false);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.headers().first("retry-after")).isEqualTo("1");
            assertThat(held.holding.get().status()).isEqualTo(200);
            assertThat(held.harness.chat("m", false).status()).isEqualTo(200);
        }
    }

    @Test
    void gatewayConcurrencyCapRefusesExcessWithRetryAfter() throws Exception {
        try (OneHeld held = new OneHeld("max_concurrent_requests: 1", "")) {
            BufferingSink refused = held.harness.chat("m", true);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.bodyText()).contains("concurrency_limit");
            assertThat(held.holding.get().status()).isEqualTo(200);
            assertThat(held.slow.requests()).hasSize(1);
        }
    }

    /**
     * Model {@code m} on one provider at a slow upstream, with {@code routing} settings and more provider
     * settings ({@code ", key: value"}), and one request held in flight there: the upstream answers it after 800 ms.
     */
    private static final class OneHeld implements AutoCloseable {
        final FakeUpstream slow = FakeUpstream.start();
        final GatewayHarness harness;
        final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        final CompletableFuture<BufferingSink> holding;

        OneHeld(String routing, String providerSettings) throws InterruptedException {
            harness = new GatewayHarness("""
                    auth: { mode: gateway, keys: ["${KEY}"] }
                    routing: { %s }
                    providers:
                      a: { type: openai, base_url: "%s/v1", api_key: sk-a-0000000000000000%s }
                    models:
                      m: { deployments: [ { provider: a } ] }
                    """.formatted(routing, slow.baseUrl(), providerSettings));
            slow.handler(request -> Reply.json(200, ChatScript.text("slow").completion()).delayFirstByte(Duration.ofMillis(800)));
            holding = CompletableFuture.supplyAsync(() -> harness.chat("m", false), pool);
            while (slow.requests().isEmpty()) {
                Thread.sleep(10);
            }
        }

        @Override
        public void close() {
            pool.close();
            harness.close();
            slow.close();
        }
    }
}
