package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.Reply;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Closing the application (what the JVM's shutdown hook does on SIGTERM) drains it: readiness goes
 * down and new model requests are refused while the stream in flight runs to its end; only then
 * does the listener close. A stream longer than the grace period is cut.
 */
class GracefulShutdownTest {
    private static final String TEXT = "one two three four five six seven eight nine ten";
    private static final String STREAM_REQUEST = "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void shutdownFailsReadinessRefusesNewRequestsAndLetsTheStreamInFlightFinish() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            // 13 events 250 ms apart: the stream is in flight for about 3 s.
            upstream.handler(request -> Reply.sse(ChatScript.text(TEXT).chunkSize(5).chunks(false)).eventDelay(Duration.ofMillis(250)));
            TestGateway gateway = TestGateway.start(TestGateway.singleUpstream("openai", upstream.baseUrl()));
            Iterator<String> stream = openStream(gateway);
            List<String> events = new ArrayList<>();
            events.add(nextEvent(stream));  // the stream has started

            CompletableFuture<Void> closing = CompletableFuture.runAsync(gateway::close);

            HttpResponse<String> ready = awaitStatus(gateway, "/health/ready", 503);
            assertThat(JSON.readTree(ready.body()).path("status").asText()).isEqualTo("draining");
            HttpResponse<String> refused = gateway.postJsonWithKey("/v1/chat/completions", STREAM_REQUEST);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
            assertThat(JSON.readTree(refused.body()).path("error").path("code").asText()).isEqualTo("shutting_down");
            assertThat(gateway.send("GET", "/health/live", null).statusCode()).isEqualTo(200);
            assertThat(closing).isNotDone();

            while (stream.hasNext()) {
                String line = stream.next();
                if (line.startsWith("data: ")) {
                    events.add(line.substring(6));
                }
            }
            assertThat(events).last().isEqualTo("[DONE]");
            assertThat(content(events)).isEqualTo(TEXT);

            closing.get(30, TimeUnit.SECONDS);
            assertThat(upstream.requests()).hasSize(1);  // the refused request never reached the upstream
            assertThatThrownBy(() -> gateway.send("GET", "/health/live", null)).isInstanceOf(UncheckedIOException.class);
        }
    }

    @Test
    void aStreamLongerThanTheGracePeriodIsCut() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            // About 15 s of stream against a 1 s grace period.
            upstream.handler(request -> Reply.sse(ChatScript.text(TEXT).chunkSize(1).chunks(false)).eventDelay(Duration.ofMillis(300)));
            TestGateway gateway = TestGateway.start(TestGateway.singleUpstream("openai", upstream.baseUrl()), Map.of(), Duration.ofSeconds(1));
            Iterator<String> stream = openStream(gateway);
            nextEvent(stream);

            CompletableFuture.runAsync(gateway::close).get(12, TimeUnit.SECONDS);

            List<String> rest = new ArrayList<>();
            try {
                stream.forEachRemaining(rest::add);
            } catch (UncheckedIOException cut) {
                // the connection was closed under the reader: also a cut stream
            }
            assertThat(rest).doesNotContain("data: [DONE]");
        }
    }

    private Iterator<String> openStream(TestGateway gateway) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.url("/v1/chat/completions")))
                .header("content-type", "application/json")
                .header("authorization", "Bearer " + TestGateway.GATEWAY_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(STREAM_REQUEST))
                .build();
        HttpResponse<java.util.stream.Stream<String>> response = client.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body().iterator();
    }

    private static String nextEvent(Iterator<String> stream) {
        while (stream.hasNext()) {
            String line = stream.next();
            if (line.startsWith("data: ")) {
                return line.substring(6);
            }
        }
        throw new AssertionError("the stream ended before its first event");
    }

    /** Polls until {@code path} answers {@code status} (the drain starts on another thread). */
    private static HttpResponse<String> awaitStatus(TestGateway gateway, String path, int status) throws InterruptedException {
        HttpResponse<String> last = null;
        for (int i = 0; i < 100; i++) {
            last = gateway.send("GET", path, null);
            if (last.statusCode() == status) {
                return last;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(path + " still answers " + last.statusCode());
    }

    private static String content(List<String> events) throws Exception {
        StringBuilder text = new StringBuilder();
        for (String event : events) {
            if (!event.equals("[DONE]")) {
                JsonNode delta = JSON.readTree(event).path("choices").path(0).path("delta");
                text.append(delta.path("content").asText(""));
            }
        }
        return text.toString();
    }
}
