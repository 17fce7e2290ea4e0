package io.llmgw.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgw.core.error.GatewayException;
import io.llmgw.core.http.Headers;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The upstream client's own contract: what closing a body does to the connection, and what the deadline does to a body. */
class UpstreamClientTest {
    private final FakeUpstream upstream = FakeUpstream.start();
    private final UpstreamClient client = new UpstreamClient();

    @AfterEach
    void close() {
        client.close();
        upstream.close();
    }

    private UpstreamRequest request(Duration timeout) {
        return new UpstreamRequest(URI.create(upstream.baseUrl() + "/v1/chat/completions"),
                Headers.of("content-type", "application/json"), "{\"stream\":true}".getBytes(StandardCharsets.UTF_8), timeout,
                Duration.ofSeconds(5));
    }

    private static Reply slowStream(int events, Duration between) {
        List<String> data = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            data.add("{\"n\":" + i + "}");
        }
        return Reply.sse(data).eventDelay(between);
    }

    @Test
    void aBodyClosedBeforeItsEndDropsTheConnectionInsteadOfReadingTheRest() throws IOException {
        // 100 events 50 ms apart: reading the rest to keep the connection would take about 5 s
        upstream.handler(request -> slowStream(100, Duration.ofMillis(50)));
        UpstreamResponse response = client.send(request(Duration.ofSeconds(30)));
        InputStream body = response.body();
        assertThat(body.read(new byte[16])).isPositive();
        response.close();
        long writtenWhenClosed = upstream.bytesWritten();

        upstream.handler(request -> Reply.sse("{\"n\":0}"));
        try (UpstreamResponse next = client.send(request(Duration.ofSeconds(30)))) {
            assertThat(new String(next.readBody(1 << 20), StandardCharsets.UTF_8)).contains("data: {\"n\":0}");
        }
        // the first stream's 100 events alone are over 1,500 bytes; the close returned after a few of them
        assertThat(writtenWhenClosed).as("upstream bytes written when the close returned").isLessThan(1_000);
        assertThat(upstream.requests()).hasSize(2);
    }

    /** Reads the stream until its {@code [DONE]} event and not further, as the relay does. */
    private static void readToEndMarker(UpstreamResponse response) throws IOException {
        StringBuilder read = new StringBuilder();
        byte[] buffer = new byte[64];
        while (!read.toString().contains("data: [DONE]\n\n")) {
            int n = response.body().read(buffer);
            assertThat(n).as("bytes before [DONE]").isPositive();
            read.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
    }

    @Test
    void aStreamClosedAtItsEndMarkerKeepsItsConnection() throws IOException {
        upstream.handler(request -> Reply.sse("{\"n\":0}", "{\"n\":1}", "[DONE]"));
        for (int i = 0; i < 3; i++) {
            UpstreamResponse response = client.send(request(Duration.ofSeconds(5)));
            readToEndMarker(response);
            response.closeAtEnd();
        }
        assertThat(upstream.requests()).hasSize(3);
        assertThat(upstream.connectionsAccepted()).as("connections for three streams in turn").isEqualTo(1);
    }

    @Test
    void aStreamThatGoesOnAfterItsEndMarkerIsDroppedSoon() throws IOException {
        List<String> events = new ArrayList<>(List.of("[DONE]"));
        for (int i = 0; i < 100; i++) {
            events.add("{\"after\":" + i + "}");
        }
        upstream.handler(request -> Reply.sse(events).eventDelay(Duration.ofMillis(50)));
        UpstreamResponse response = client.send(request(Duration.ofSeconds(30)));
        readToEndMarker(response);
        long start = System.nanoTime();
        response.closeAtEnd();
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        upstream.handler(request -> Reply.sse("{\"n\":0}"));
        try (UpstreamResponse next = client.send(request(Duration.ofSeconds(30)))) {
            assertThat(new String(next.readBody(1 << 20), StandardCharsets.UTF_8)).contains("data: {\"n\":0}");
        }
        // reading the rest would take 5 s; the wait after the marker is bounded (50 ms plus the timer's tick)
        assertThat(tookMillis).as("ms the close took").isLessThan(2_000);
        assertThat(upstream.connectionsAccepted()).as("the first connection was dropped").isEqualTo(2);
    }

    @Test
    void theDeadlineCutsABodyOffMidStreamAndSaysSo() throws IOException {
        upstream.handler(request -> slowStream(1_000, Duration.ofMillis(20)));
        try (UpstreamResponse response = client.send(request(Duration.ofMillis(300)))) {
            assertThatThrownBy(() -> response.readBody(1 << 20)).isInstanceOf(IOException.class);
            assertThat(response.deadlinePassed()).isTrue();
        }
    }

    @Test
    void anUpstreamSilentBeyondTheDeadlineIsATimeout() {
        upstream.handler(request -> Reply.sse("{\"n\":0}").delayFirstByte(Duration.ofSeconds(10)));
        assertThatThrownBy(() -> client.send(request(Duration.ofMillis(200))))
                .isInstanceOf(GatewayException.class)
                .hasMessageContaining("did not answer within");
    }

    @Test
    void aCommittedStreamLetsGoOfTheUpstreamHeadersAndStillReadsItsBody() throws IOException {
        upstream.handler(request -> Reply.sse("{\"n\":0}", "{\"n\":1}").header("x-upstream-trace", "t-1"));
        try (UpstreamResponse response = client.send(request(Duration.ofSeconds(5)))) {
            assertThat(response.headers().first("x-upstream-trace")).isEqualTo("t-1");

            response.releaseHeaders();

            assertThatThrownBy(response::headers).isInstanceOf(IllegalStateException.class).hasMessageContaining("let go");
            assertThat(new String(response.body().readAllBytes(), StandardCharsets.UTF_8)).contains("{\"n\":1}");
        }
    }

    @Test
    void aRedirectIsReturnedNotFollowed() {
        upstream.handler(request -> Reply.json(302, "{}").header("location", upstream.baseUrl() + "/elsewhere"));
        try (UpstreamResponse response = client.send(request(Duration.ofSeconds(5)))) {
            assertThat(response.status()).isEqualTo(302);
            assertThat(response.headers().first("location")).endsWith("/elsewhere");
        }
        assertThat(upstream.requests()).hasSize(1);
    }
}
