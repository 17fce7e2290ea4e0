package io.llmgw.core.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingType;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.testing.Heap;
import io.llmgw.testing.FakeUpstream;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Finding 4 of the hardening issue: count_tokens counted locally (an Anthropic client on a route
 * to a chat-completions upstream) does bounded work whatever the caller sends. Before the fix a
 * 5 MB single word went whole into the BPE encoder, which took seconds per megabyte and ran the
 * process out of memory.
 */
class CountTokensBoundsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FakeUpstream upstream;
    private static CoreGateway core;

    @BeforeAll
    static void start() {
        upstream = FakeUpstream.start();
        core = new CoreGateway("""
                auth: { mode: gateway, keys: ["${KEY}"] }
                providers:
                  chat: { type: openai, base_url: "%s/v1", api_key: "${UP_KEY}" }
                models:
                  "claude-*": { deployments: [ { provider: chat, model: gpt-4o } ] }
                """.formatted(upstream.baseUrl())).closing(upstream);
    }

    @AfterAll
    static void stop() {
        core.close();
    }

    private static String countRequest(String text) {
        return "{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
    }

    @Test
    void aFiveMegabyteSingleWordIsEstimatedQuicklyAndLeavesNothingBehind() throws Exception {
        // warm-up: the o200k encoding is loaded (a one-off of tens of MB) before anything is measured
        assertThat(core.post("/v1/messages/count_tokens", countRequest("warm up")).status()).isEqualTo(200);
        String word = "a".repeat(5 * 1024 * 1024);
        String body = countRequest(word);
        long before = Heap.usedAfterGc();

        // The faster of two runs: the bound is on the work, not on what else a shared machine is doing meanwhile.
        BufferingSink sink = null;
        Duration took = Duration.ofDays(1);
        for (int run = 0; run < 2; run++) {
            long start = System.nanoTime();
            sink = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> core.post("/v1/messages/count_tokens", body));
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            took = elapsed.compareTo(took) < 0 ? elapsed : took;
        }

        assertThat(sink.status()).as(sink.bodyText()).isEqualTo(200);
        assertThat(sink.headers().first("x-gateway-token-count")).isEqualTo("estimated");
        int tokens = JSON.readTree(sink.body()).path("input_tokens").asInt();
        // the estimate is in the right range: a run of one letter is at most one token a character, at least one per 4 KB piece
        assertThat(tokens).isBetween(word.length() / 4_096, word.length());
        // The bound; the preemptive timeout above is wider only so a slow, shared CI machine reports the time.
        assertThat(took).as("time to count a 5 MB word").isLessThan(Duration.ofSeconds(2));
        assertThat(upstream.requests()).as("counted locally").isEmpty();

        // Nothing of the request is kept: after GC the heap is within the size of the body itself (5 MB) of
        // where it was, which leaves room for allocator noise but not for a retained copy of the text.
        long grown = Heap.usedAfterGc() - before;
        assertThat(grown).as("heap retained after the request, bytes").isLessThan(5L * 1024 * 1024);
    }

    @Test
    void anOrdinaryRequestIsStillCountedExactly() throws Exception {
        String text = "Gateways translate streams, token by token: naïve façade — 日本語.";
        BufferingSink sink = core.post("/v1/messages/count_tokens", countRequest(text));
        assertThat(sink.status()).isEqualTo(200);
        assertThat(sink.headers().first("x-gateway-token-count")).isEqualTo("counted");
        // OpenAI's accounting for one user message: 3 per message, the role, the text, 3 to prime the reply
        var o200k = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
        int expected = 3 + o200k.countTokensOrdinary("user") + o200k.countTokensOrdinary(text) + 3;
        assertThat(JSON.readTree(sink.body()).path("input_tokens").asInt()).isEqualTo(expected);
    }
}
