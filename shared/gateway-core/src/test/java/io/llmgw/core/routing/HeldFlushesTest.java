package io.llmgw.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.http.Headers;
import io.llmgw.core.stream.StreamSink;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.Reply;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A relayed stream flushes what it wrote right before it reads the upstream again: the events one
 * upstream read brought reach the client in one flush, and none of them waits for the upstream's
 * next bytes — except the stream's first event, which goes out at once, before the events that came
 * with it are translated. The fake upstream sends three events in one write, pauses, then the last two.
 */
class HeldFlushesTest {
    private final FakeUpstream openai = FakeUpstream.start();

    @AfterEach
    void stop() {
        openai.close();
    }

    private static String event(String delta, String finishReason) {
        return "data: {\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finishReason + "}]}\n\n";
    }

    @Test
    void theFirstEventGoesOutAtOnceAndTheRestOfOneUpstreamReadInOneFlushBeforeTheNextRead() {
        openai.handler(request -> Reply.rawSse(List.of(
                event("{\"role\":\"assistant\",\"content\":\"\"}", null) + event("{\"content\":\"Hel\"}", null)
                        + event("{\"content\":\"lo\"}", null),
                event("{}", "\"stop\"") + "data: [DONE]\n\n")).eventDelay(Duration.ofMillis(300)));
        FlushRecordingSink sink;
        try (GatewayHarness harness = new GatewayHarness("auth: { mode: gateway, keys: [\"${KEY}\"] }\n"
                + GatewayHarness.oneOpenAiModel(openai.baseUrl()))) {
            sink = harness.post("/v1/chat/completions", GatewayHarness.chatBody("m", true), new FlushRecordingSink());
        }

        assertThat(sink.completed).isTrue();
        assertThat(sink.flushed).as("what the client had at each flush").isNotEmpty();
        assertThat(sink.flushed).as("what the client had at each flush").hasSizeGreaterThanOrEqualTo(2);
        // the first event alone in the first flush, before the two that came with it were translated...
        assertThat(sink.flushed.get(0)).contains("\"role\":\"assistant\"").doesNotContain("\"Hel\"");
        // ...those two together in the next one (one flush per event before the flushes were held)...
        String first = sink.flushed.get(1);
        assertThat(first).contains("\"Hel\"").contains("\"lo\"");
        // ...flushed while the upstream still held back the rest, not at the end
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
