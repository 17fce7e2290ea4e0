package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A stream still going after its first quarter second goes on on a virtual thread of its own once the
 * request's thread has returned (the server's sink agrees to {@code detach}), so a stream in flight
 * parks the relay loop, not the whole request path (README › Memory per stream in flight): the thread
 * that ends such a stream, and writes its request line, is that thread; a whole answer ends on the
 * request thread it was handed to, and so does the next request on a connection a stream ended on
 * (never the event loop that read it).
 */
@ExtendWith(OutputCaptureExtension.class)
class StreamRelayThreadTest {
    private static final String CHAT = "{\"model\":\"m\",\"stream\":%s,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void aStreamEndsOnItsRelayThreadAndAWholeAnswerOnTheRequestThread(CapturedOutput output) throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start();
             TestGateway gateway = TestGateway.inFrontOf(upstream.baseUrl())) {
            // 150 ms between events: still going past Relay.HAND_OFF_AFTER, so handed off
            upstream.handler(request -> ChatScript.text("one two three").chunkSize(4).reply(request).eventDelay(Duration.ofMillis(150)));

            HttpResponse<String> stream = gateway.send("POST", "/v1/chat/completions", CHAT.formatted(true),
                    "authorization", "Bearer " + TestGateway.GATEWAY_KEY, "content-type", "application/json", "x-request-id", "relay-stream");
            HttpResponse<String> whole = gateway.send("POST", "/v1/chat/completions", CHAT.formatted(false),
                    "authorization", "Bearer " + TestGateway.GATEWAY_KEY, "content-type", "application/json", "x-request-id", "relay-whole");

            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.body()).contains("\"thr").contains("[DONE]");
            assertThat(whole.statusCode()).isEqualTo(200);
            String streamLine = LogNoiseTest.awaitLine(output, l -> l.contains("relay-stream") && l.contains("\"request\""));
            String wholeLine = LogNoiseTest.awaitLine(output, l -> l.contains("relay-whole") && l.contains("\"request\""));
            assertThat(streamLine).contains("\"thread\":{\"name\":\"stream-relay\"}").contains("\"status\":200");
            assertThat(wholeLine).contains("\"thread\":{\"name\":\"request-");
        }
    }

    @Test
    void aShortStreamAndTheAnswerAfterItOnItsConnectionRunOnRequestThreads(CapturedOutput output) throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start();
             TestGateway gateway = TestGateway.inFrontOf(upstream.baseUrl())) {
            upstream.handler(request -> ChatScript.text("one two three").chunkSize(4).reply(request));
            // the same client, so the second request comes on the connection the first one's response ended
            HttpResponse<String> stream = gateway.send("POST", "/v1/chat/completions", CHAT.formatted(true),
                    "authorization", "Bearer " + TestGateway.GATEWAY_KEY, "content-type", "application/json", "x-request-id", "short-stream");
            HttpResponse<String> whole = gateway.send("POST", "/v1/chat/completions", CHAT.formatted(false),
                    "authorization", "Bearer " + TestGateway.GATEWAY_KEY, "content-type", "application/json", "x-request-id", "after-stream");

            assertThat(stream.body()).contains("[DONE]");
            assertThat(whole.statusCode()).isEqualTo(200);
            for (String id : new String[] {"short-stream", "after-stream"}) {
                assertThat(LogNoiseTest.awaitLine(output, l -> l.contains(id) && l.contains("\"request\"")))
                        .contains("\"thread\":{\"name\":\"request-");
            }
        }
    }
}
