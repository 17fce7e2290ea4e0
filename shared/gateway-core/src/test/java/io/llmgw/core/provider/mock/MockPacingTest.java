package io.llmgw.core.provider.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgw.core.upstream.UpstreamClient;
import io.llmgw.core.upstream.UpstreamRequest;
import io.llmgw.core.upstream.UpstreamResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The mock's pacing is real waiting, ended like a network body's: by the request timeout, or by
 * closing the answer. Only lower bounds on time are asserted (a wait happened), never speed.
 */
class MockPacingTest {
    private static final UpstreamClient CLIENT = new UpstreamClient(new MockProvider(MockServerTest.deployment(MockSettings.NONE,
            Duration.ofSeconds(30)).provider()).inProcess());
    private static final byte[] BODY = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"a b c\"}]}"
            .getBytes(StandardCharsets.UTF_8);

    @AfterAll
    static void close() {
        CLIENT.close();
    }

    private static UpstreamResponse send(Duration firstToken, Duration perToken, Duration timeout) {
        UpstreamRequest request = MockServerTest.chatRequest(MockServerTest.deployment(new MockSettings(firstToken, perToken), timeout), BODY, true);
        return CLIENT.send(request);
    }

    @Test
    void theFirstTokenAndEachLaterOneWaitTheirDelays() throws IOException {
        long start = System.nanoTime();
        try (UpstreamResponse response = send(Duration.ofMillis(300), Duration.ofMillis(50), Duration.ofSeconds(30))) {
            long headers = System.nanoTime();
            byte[] first = new byte[8192];
            int n = response.body().read(first);
            long firstChunk = System.nanoTime();
            String rest = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
            long end = System.nanoTime();

            assertThat(new String(first, 0, n, StandardCharsets.UTF_8)).contains("\"role\":\"assistant\"").contains("\"You\"");
            assertThat(rest).endsWith("data: [DONE]\n\n");
            assertThat(Duration.ofNanos(firstChunk - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            // "You said: a b c" is five words: four more waits of 50 ms after the first
            assertThat(Duration.ofNanos(end - firstChunk)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
            assertThat(headers - start).isLessThan(firstChunk - start);
        }
    }

    @Test
    void theRequestTimeoutCutsAPacedAnswerOffAsItDoesANetworkOne() {
        try (UpstreamResponse response = send(Duration.ofSeconds(60), Duration.ZERO, Duration.ofMillis(200))) {
            assertThatThrownBy(() -> response.body().readAllBytes()).isInstanceOf(IOException.class);
            assertThat(response.deadlinePassed()).isTrue();
        }
    }

    @Test
    void closingTheBodyEndsAWaitingRead() throws Exception {
        PacedBody body = new PacedBody(List.of(new PacedBody.Step(TimeUnit.SECONDS.toNanos(600), new byte[] {1})));
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try {
                return body.read();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(100);

        body.close();

        assertThatThrownBy(() -> read.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasRootCauseInstanceOf(IOException.class);
    }
}
