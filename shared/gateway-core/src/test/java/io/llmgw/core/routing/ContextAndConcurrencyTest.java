package io.llmgw.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.stream.BufferingSink;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.Reply;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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
        try (FakeUpstream slow = FakeUpstream.start();
             GatewayHarness harness = new GatewayHarness("""
                     auth: { mode: gateway, keys: ["${KEY}"] }
                     routing: { retries: 0 }
                     providers:
                       a: { type: openai, base_url: "%s/v1", api_key: sk-a-0000000000000000, max_concurrency: 1 }
                     models:
                       m: { deployments: [ { provider: a } ] }
                     """.formatted(slow.baseUrl()));
             var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<BufferingSink> holding = holdOneRequest(harness, slow, pool);
            BufferingSink refused = harness.chat("m", false);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.headers().first("retry-after")).isEqualTo("1");
            assertThat(holding.get().status()).isEqualTo(200);
            assertThat(harness.chat("m", false).status()).isEqualTo(200);
        }
    }

    @Test
    void gatewayConcurrencyCapRefusesExcessWithRetryAfter() throws Exception {
        try (FakeUpstream slow = FakeUpstream.start();
             GatewayHarness harness = new GatewayHarness("""
                     auth: { mode: gateway, keys: ["${KEY}"] }
                     routing: { max_concurrent_requests: 1 }
                     providers:
                       a: { type: openai, base_url: "%s/v1", api_key: sk-a-0000000000000000 }
                     models:
                       m: { deployments: [ { provider: a } ] }
                     """.formatted(slow.baseUrl()));
             var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<BufferingSink> holding = holdOneRequest(harness, slow, pool);
            BufferingSink refused = harness.chat("m", true);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.bodyText()).contains("concurrency_limit");
            assertThat(holding.get().status()).isEqualTo(200);
            assertThat(slow.requests()).hasSize(1);
        }
    }

    /** Starts one request the upstream answers only after 800 ms, and returns once it is in flight. */
    private static CompletableFuture<BufferingSink> holdOneRequest(GatewayHarness harness, FakeUpstream slow,
                                                                   java.util.concurrent.ExecutorService pool) throws InterruptedException {
        slow.handler(request -> Reply.json(200, ChatScript.text("slow").completion()).delayFirstByte(Duration.ofMillis(800)));
        CompletableFuture<BufferingSink> holding = CompletableFuture.supplyAsync(() -> harness.chat("m", false), pool);
        while (slow.requests().isEmpty()) {
            Thread.sleep(10);
        }
        return holding;
    }
}
