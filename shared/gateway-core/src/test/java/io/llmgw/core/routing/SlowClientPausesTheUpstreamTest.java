package io.llmgw.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.http.Headers;
import io.llmgw.core.stream.DetachingSink;
import io.llmgw.core.stream.StreamSink;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client whose sink says it takes no more (an event loop's sink above its high-water mark, which must
 * never wait in a write) pauses the upstream read: nothing more is read or relayed until the sink says it
 * is ready again, and then the stream goes on from where it stopped, whole and in order.
 */
class SlowClientPausesTheUpstreamTest {
    private FakeUpstream upstream;
    private GatewayHarness harness;

    @BeforeEach
    void start() {
        upstream = FakeUpstream.start();
        harness = new GatewayHarness("auth: { mode: gateway, keys: [\"${KEY}\"] }\n" + GatewayHarness.oneOpenAiModel(upstream.baseUrl()));
    }

    @AfterEach
    void stop() {
        harness.close();
        upstream.close();
    }

    @Test
    void theRelayWaitsForTheClientAndThenRelaysTheRest() throws InterruptedException {
        upstream.handler(ChatScript.text("one two three four five six seven").chunkSize(4).handler());
        SlowSink sink = new SlowSink();
        harness.post("/v1/chat/completions", GatewayHarness.chatBody("m", true), sink);

        assertThat(sink.waiting).as("the relay asked to hear when the client takes more").hasSize(1);
        String before = sink.bodyText();
        assertThat(before).doesNotContain("[DONE]");
        Thread.sleep(100);
        assertThat(sink.bodyText()).as("nothing relayed while the client takes no more").isEqualTo(before);

        sink.ready = true;
        sink.waiting.get(0).run();
        assertThat(sink.ended().await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sink.bodyText()).startsWith(before).endsWith("data: [DONE]\n\n").contains("\"content\":\"seve\"");
    }

    /** A detaching sink that says it takes no more, until told otherwise. */
    private static final class SlowSink implements StreamSink {
        final List<Runnable> waiting = new ArrayList<>();
        final DetachingSink sink = new DetachingSink();
        volatile boolean ready;

        @Override
        public boolean ready() {
            return ready;
        }

        @Override
        public void whenReady(Runnable then) {
            waiting.add(then);
        }

        @Override
        public boolean detach() {
            return sink.detach();
        }

        @Override
        public void start(int status, Headers headers) {
            sink.start(status, headers);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            sink.write(bytes, offset, length);
        }

        @Override
        public void flush() {
            sink.flush();
        }

        @Override
        public void complete() {
            sink.complete();
        }

        @Override
        public void fail(Throwable error) {
            sink.fail(error);
        }

        String bodyText() {
            return sink.bodyText();
        }

        CountDownLatch ended() {
            return sink.ended();
        }
    }
}
