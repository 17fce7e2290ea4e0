package io.llmgw.netty;

import static io.llmgw.netty.FakeUpstream.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the listener does with an exchange once its head arrived: finish at a stream's marker, abort, pause and resume. */
class NettyUpstreamControlTest extends TransportTestBase {
    private static final String DONE = "data: [DONE]\n\n";

    @Test
    void finishKeepsTheConnectionWhenTheEndOfTheBodyFollows() throws Exception {
        // a wait after finish no slow machine runs out of: what is tested is that the end is waited for
        transport.close();
        transport = new NettyUpstreamTransport(group, null, false, NettyUpstreamTransport.IDLE_TIMEOUT, Duration.ofSeconds(10));
        CountDownLatch finished = new CountDownLatch(1);
        AtomicInteger requests = new AtomicInteger();
        FakeUpstream upstream = upstream((request, link) -> {
            if (requests.incrementAndGet() > 1) {
                link.write(whole("{}"));
                return;
            }
            link.write(SSE_HEAD);
            link.chunk(DONE);
            // the chunked body's end only after finish(), as a separate read: the transport reads on for it
            finished.await(10, TimeUnit.SECONDS);
            link.write("0\r\n\r\n");
        });
        RecordingListener listener = finishedAtDone(upstream, finished::countDown);
        eventually("the connection went back to the pool", () -> transport.idleConnections() == 1);
        settleLoops();
        listener.heardNothingMore(); // no onEnd after finish

        RecordingListener next = new RecordingListener();
        send(post(upstream.url("/v1/chat/completions")), next);
        next.head();
        next.bodyUntil("}");
        next.end();
        assertThat(upstream.connections()).isEqualTo(1);
    }

    @Test
    void finishClosesTheConnectionWhenTheBodyGoesOnPastTheAllowance() throws Exception {
        FakeUpstream upstream = upstream((request, link) -> {
            link.write(SSE_HEAD);
            link.chunk(DONE);
            StringBuilder more = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                more.append(Integer.toHexString(1024)).append("\r\n").append("x".repeat(1024)).append("\r\n");
            }
            link.write(more.toString()); // 10 KB more, past the 8 KB read on for
            link.awaitClose();
        });
        assertFinishDropsTheConnection(upstream);
    }

    @Test
    void finishClosesTheConnectionWhenTheEndOfTheBodyDoesNotCome() throws Exception {
        FakeUpstream upstream = upstream((request, link) -> {
            link.write(SSE_HEAD);
            link.chunk(DONE);
            link.awaitClose(); // never ends the body: the 50 ms bound ends the wait
        });
        assertFinishDropsTheConnection(upstream);
    }

    @Test
    void abortClosesTheConnectionAndNothingMoreIsHeard() throws Exception {
        FakeUpstream upstream = upstream(ONE_EVENT_THEN_WAIT);
        RecordingListener listener = new RecordingListener().onBodyDo((exchange, text) -> exchange.abort());
        send(post(upstream.url("/v1/chat/completions")), listener);
        listener.head();
        listener.bodyUntil("data: 1\n\n");
        upstream.awaitClientClose();
        settleLoops();
        listener.heardNothingMore();
        assertThat(transport.idleConnections()).isZero();
    }

    @Test
    void abortFromAnotherThreadClosesTheConnection() throws Exception {
        FakeUpstream upstream = upstream((request, link) -> {
            link.write(SSE_HEAD);
            link.awaitClose();
        });
        RecordingListener listener = new RecordingListener();
        send(post(upstream.url("/v1/chat/completions")), listener);
        listener.head();
        listener.exchange.abort();
        upstream.awaitClientClose();
        settleLoops();
        listener.heardNothingMore();
    }

    @Test
    void theChunksOfOneReadAreHandedOverAsOnePiece() throws Exception {
        // three events and the end in one write, so in one read: one piece, where the codec makes one a chunk
        FakeUpstream upstream = upstream((request, link) ->
                link.write(SSE_HEAD + "9\r\ndata: 1\n\n\r\n9\r\ndata: 2\n\n\r\n9\r\ndata: 3\n\n\r\n0\r\n\r\n"));
        RecordingListener listener = new RecordingListener();
        send(post(upstream.url("/v1/chat/completions")), listener);
        listener.head();
        assertThat(listener.bodyUntil("\n\n")).isEqualTo("data: 1\n\ndata: 2\n\ndata: 3\n\n");
        listener.end();
    }

    @Test
    void pauseDeliversNoBodyUntilResume() throws Exception {
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch sent = new CountDownLatch(1);
        FakeUpstream upstream = upstream((request, link) -> {
            // two events in one write, then a third once the listener paused
            link.write(SSE_HEAD + "9\r\ndata: 1\n\n\r\n9\r\ndata: 2\n\n\r\n");
            paused.await(10, TimeUnit.SECONDS);
            link.chunk("data: 3\n\n");
            link.write("0\r\n\r\n");
            sent.countDown();
        });
        RecordingListener listener = new RecordingListener().onBodyDo((exchange, text) -> {
            if (text.startsWith("data: 1\n\n")) {
                exchange.pause();
                paused.countDown();
            }
        });
        send(post(upstream.url("/v1/chat/completions")), listener);
        listener.head();
        // what the first read brought, in one piece: the first event, and the second when it came in the same read
        String first = listener.bodyUntil("\n\n");
        assertThat(first).isIn("data: 1\n\n", "data: 1\n\ndata: 2\n\n");

        assertThat(sent.await(10, TimeUnit.SECONDS)).isTrue();
        settleLoops();
        listener.heardNothingMore(); // the rest was sent, and none of it was delivered while paused

        listener.exchange.resume();
        assertThat(first + listener.bodyUntil("data: 3\n\n")).isEqualTo("data: 1\n\ndata: 2\n\ndata: 3\n\n");
        listener.end();
        eventually("the connection went back to the pool", () -> transport.idleConnections() == 1);
    }

    /** A stream from {@code upstream} that its listener finishes at its end marker, then runs {@code after}; read up to the marker. */
    private RecordingListener finishedAtDone(FakeUpstream upstream, Runnable after) throws Exception {
        RecordingListener listener = new RecordingListener().onBodyDo((exchange, text) -> {
            if (text.contains(DONE)) {  // what came in the same read comes with it
                exchange.finish();
                after.run();
            }
        });
        send(post(upstream.url("/v1/chat/completions")), listener);
        listener.head();
        listener.bodyHolding(DONE);
        return listener;
    }

    /** Finished at its marker, the stream's connection is closed, not pooled, and nothing more is heard. */
    private void assertFinishDropsTheConnection(FakeUpstream upstream) throws Exception {
        RecordingListener listener = finishedAtDone(upstream, () -> { });
        upstream.awaitClientClose();
        settleLoops();
        listener.heardNothingMore();
        assertThat(transport.idleConnections()).isZero();
    }
}
