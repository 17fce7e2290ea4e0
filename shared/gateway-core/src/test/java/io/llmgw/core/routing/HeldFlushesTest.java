package io.llmgw.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.http.Headers;
import io.llmgw.core.stream.StreamSink;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.Reply;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A relayed stream flushes what it wrote right before it reads the upstream again: the events one
 * upstream read brought reach the client in one flush, and none of them waits for the upstream's
 * next bytes. The fake upstream sends three events in one write, pauses, then the last two.
 */
class HeldFlushesTest {
    private static final String CHAT = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private FakeUpstream openai;
    private GatewayHarness harness;

    @BeforeEach
    void start() {
        openai = FakeUpstream.start();
        openai.handler(request -> Reply.rawSse(List.of(
                event("{\"role\":\"assistant\",\"content\":\"\"}", null) + event("{\"content\":\"Hel\"}", null)
                        + event("{\"content\":\"lo\"}", null),
                event("{}", "\"stop\"") + "data: [DONE]\n\n")).eventDelay(Duration.ofMillis(300)));
        harness = new GatewayHarness("""
                auth: { mode: gateway, keys: ["${KEY}"] }
                routing: { retries: 0, health_check_interval: off }
                providers:
                  gpt: { type: openai, base_url: "%s/v1", api_key: sk-openai-00000000000000 }
                models:
                  m: { deployments: [ { provider: gpt, model: gpt-b } ] }
                """.formatted(openai.baseUrl()));
    }

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
        openai.close();
    }

    /** A small chunk: the three of the first write fit in one read of the gateway's SSE reader (512 bytes). */
    private static String event(String delta, String finishReason) {
        return "data: {\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finishReason + "}]}\n\n";
    }

    @Test
    void theEventsOfOneUpstreamReadGoOutInOneFlushBeforeTheNextRead() {
        FlushRecordingSink sink = new FlushRecordingSink();

        harness.gateway.handle(new GatewayRequest("POST", "/v1/chat/completions", null,
                Headers.of("content-type", "application/json", "authorization", "Bearer " + GatewayHarness.KEY),
                CHAT.getBytes(StandardCharsets.UTF_8), "127.0.0.1", null), sink);

        assertThat(sink.completed).isTrue();
        assertThat(sink.flushed).as("what the client had at each flush").isNotEmpty();
        String first = sink.flushed.get(0);
        // all three events of the first upstream write in the first flush (one flush per event before)...
        assertThat(first).contains("\"role\":\"assistant\"").contains("\"Hel\"").contains("\"lo\"");
        // ...and flushed while the upstream still held back the rest, not at the end
        assertThat(first).doesNotContain("\"stop\"").doesNotContain("[DONE]");
        assertThat(sink.body()).contains("\"stop\"").endsWith("data: [DONE]\n\n");
    }

    /** Records the body as it stood at each flush. */
    private static final class FlushRecordingSink implements StreamSink {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        final List<String> flushed = new ArrayList<>();
        volatile boolean completed;

        @Override
        public void start(int status, Headers headers) {}

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            body.write(bytes, offset, length);
        }

        @Override
        public synchronized void flush() {
            flushed.add(body());
        }

        @Override
        public void complete() {
            completed = true;
        }

        @Override
        public void fail(Throwable error) {}

        synchronized String body() {
            return body.toString(StandardCharsets.UTF_8);
        }
    }
}
