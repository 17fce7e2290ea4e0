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
 * Model calls are served on the event loop that read them, and their answers — whole, or a stream however
 * long — arrive, are relayed and end there, through the upstream transport on the same loop: no request
 * thread, no thread a stream moves to (docs/decisions.md). What may wait (the models list asks the
 * upstreams on the caller's thread) still runs on a request thread.
 */
@ExtendWith(OutputCaptureExtension.class)
class StreamRelayThreadTest {
    private static final String CHAT = "{\"model\":\"m\",\"stream\":%s,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String LOOP = "\"thread\":{\"name\":\"gateway-loop-";

    @Test
    void aLongStreamAndAWholeAnswerEndOnTheEventLoop(CapturedOutput output) throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start();
             TestGateway gateway = TestGateway.inFrontOf(upstream.baseUrl())) {
            // 150 ms between events: a stream that lasts is not handed to a thread either
            upstream.handler(request -> ChatScript.text("one two three").chunkSize(4).reply(request).eventDelay(Duration.ofMillis(150)));

            HttpResponse<String> stream = gateway.send("POST", "/v1/chat/completions", CHAT.formatted(true),
                    "authorization", "Bearer " + TestGateway.GATEWAY_KEY, "content-type", "application/json", "x-request-id", "loop-stream");
            HttpResponse<String> whole = gateway.send("POST", "/v1/chat/completions", CHAT.formatted(false),
                    "authorization", "Bearer " + TestGateway.GATEWAY_KEY, "content-type", "application/json", "x-request-id", "loop-whole");

            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.body()).contains("\"thr").contains("[DONE]");
            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(LogNoiseTest.awaitLine(output, l -> l.contains("loop-stream") && l.contains("\"request\"")))
                    .contains(LOOP).contains("\"status\":200");
            assertThat(LogNoiseTest.awaitLine(output, l -> l.contains("loop-whole") && l.contains("\"request\""))).contains(LOOP);
        }
    }

    @Test
    void whatMayWaitRunsOnARequestThread(CapturedOutput output) throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start();
             TestGateway gateway = TestGateway.inFrontOf(upstream.baseUrl())) {
            gateway.send("GET", "/v1/models", null, "authorization", "Bearer " + TestGateway.GATEWAY_KEY, "x-request-id", "models-list");
            assertThat(LogNoiseTest.awaitLine(output, l -> l.contains("models-list") && l.contains("\"request\"")))
                    .contains("\"thread\":{\"name\":\"request-");
        }
    }
}
