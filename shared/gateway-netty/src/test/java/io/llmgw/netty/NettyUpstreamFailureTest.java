package io.llmgw.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.llmgw.core.http.Headers;
import io.llmgw.core.upstream.ConnectTimeoutException;
import io.llmgw.core.upstream.UpstreamRequest;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How an exchange ends when it does not end well: the deadline, a cancellation, no connection, a connection that closes. */
class NettyUpstreamFailureTest extends TransportTestBase {

    @Test
    void theDeadlinePassingBeforeTheHeadClosesTheConnection() throws Exception {
        FakeUpstream upstream = upstream((request, link) -> link.awaitClose());
        RecordingListener listener = new RecordingListener();
        send(post(upstream.url("/v1/chat/completions"), Duration.ofMillis(300)), listener);

        RecordingListener.Failure failure = listener.failure();
        assertThat(failure.deadlinePassed()).isTrue();
        assertThat(failure.cause()).isInstanceOf(SocketTimeoutException.class).hasMessageContaining("within 300 ms");
        upstream.awaitClientClose();
        settleLoops();
        listener.heardNothingMore();
    }

    @Test
    void theDeadlinePassingMidBodyCutsTheBodyOff() throws Exception {
        FakeUpstream upstream = upstream(ONE_EVENT_THEN_WAIT);
        RecordingListener listener = new RecordingListener();
        send(post(upstream.url("/v1/chat/completions"), Duration.ofSeconds(2)), listener);
        listener.head();
        listener.bodyUntil("data: 1\n\n");

        assertThat(listener.failure().deadlinePassed()).isTrue();
        upstream.awaitClientClose();
        assertThat(transport.idleConnections()).isZero();
    }

    @Test
    void aCancellationFromAnotherThreadIsHeardOnce() throws Exception {
        FakeUpstream upstream = upstream(ONE_EVENT_THEN_WAIT);
        RecordingListener listener = new RecordingListener();
        Runnable cancel = send(post(upstream.url("/v1/chat/completions")), listener);
        listener.head();
        listener.bodyUntil("data: 1\n\n");

        cancel.run();
        cancel.run();
        RecordingListener.Failure failure = listener.failure();
        assertThat(failure.deadlinePassed()).isFalse();
        upstream.awaitClientClose();
        settleLoops();
        listener.heardNothingMore();
    }

    @Test
    void aCancellationBeforeTheExchangeStartsSendsNothing() throws Exception {
        FakeUpstream upstream = upstream((request, link) -> link.write(whole("{}")));
        RecordingListener listener = new RecordingListener();
        transport.send(post(upstream.url("/v1/chat/completions")), Runnable::run, listener);

        assertThat(listener.failure().deadlinePassed()).isFalse();
        settleLoops();
        listener.heardNothingMore();
        assertThat(upstream.connections()).isZero();
    }

    @Test
    void aCancellationAfterTheEndIsNotHeardAndKeepsTheConnection() throws Exception {
        FakeUpstream upstream = upstream((request, link) -> link.write(whole("{}")));
        RecordingListener listener = new RecordingListener();
        Runnable cancel = send(post(upstream.url("/v1/chat/completions")), listener);
        listener.head();
        listener.bodyUntil("}");
        listener.end();

        cancel.run();
        settleLoops();
        listener.heardNothingMore();
        assertThat(transport.idleConnections()).isEqualTo(1);
    }

    @Test
    void aRefusedConnectionIsAConnectException() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        RecordingListener listener = new RecordingListener();
        send(post("http://127.0.0.1:" + port + "/v1/chat/completions"), listener);

        RecordingListener.Failure failure = listener.failure();
        assertThat(failure.cause()).isInstanceOf(ConnectException.class).isNotInstanceOf(ConnectTimeoutException.class);
        assertThat(failure.deadlinePassed()).isFalse();
    }

    @Test
    void connectingLongerThanTheConnectTimeoutIsAConnectTimeoutException() throws Exception {
        // A listening socket whose accept queue is full: Linux drops further connection requests, so the
        // connect waits. Where it does not (another kernel), there is nothing to test here.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort());
            List<Socket> queued = new ArrayList<>();
            boolean waits = false;
            for (int i = 0; i < 8 && !waits; i++) {
                Socket socket = new Socket();
                try {
                    socket.connect(address, 300);
                    queued.add(socket);
                } catch (SocketTimeoutException e) {
                    socket.close();
                    waits = true;
                }
            }
            assumeThat(waits).as("connecting to a full accept queue waits").isTrue();
            RecordingListener listener = new RecordingListener();
            send(new UpstreamRequest(URI.create("http://127.0.0.1:" + full.getLocalPort() + "/"), new Headers(), null,
                    Duration.ofSeconds(10), Duration.ofMillis(300)), listener);

            RecordingListener.Failure failure = listener.failure();
            assertThat(failure.cause()).isInstanceOf(ConnectTimeoutException.class).hasMessageContaining("within 300 ms");
            assertThat(failure.deadlinePassed()).isFalse();
            for (Socket socket : queued) {
                socket.close();
            }
        }
    }

    @Test
    void aConnectionClosedBeforeTheHeadIsAFailure() throws Exception {
        FakeUpstream upstream = upstream((request, link) -> link.close());
        RecordingListener listener = new RecordingListener();
        send(post(upstream.url("/v1/chat/completions")), listener);

        RecordingListener.Failure failure = listener.failure();
        assertThat(failure.cause()).isInstanceOf(IOException.class).isNotInstanceOf(ConnectException.class)
                .hasMessageContaining("before answering");
        assertThat(failure.deadlinePassed()).isFalse();
        assertThat(upstream.requests).hasSize(1); // sent once, not again on a new connection
    }

    @Test
    void aConnectionClosedMidBodyIsAFailureAfterWhatArrived() throws Exception {
        FakeUpstream upstream = upstream((request, link) -> {
            link.write(SSE_HEAD);
            link.chunk("data: 1\n\n");
            link.close();
        });
        RecordingListener listener = new RecordingListener();
        send(post(upstream.url("/v1/chat/completions")), listener);
        listener.head();
        listener.bodyUntil("data: 1\n\n");

        assertThat(listener.failure().cause()).hasMessageContaining("before the end");
    }

    @Test
    void anAnswerThatIsNotHttpIsAFailure() throws Exception {
        FakeUpstream upstream = upstream((request, link) -> {
            link.write("SSH-2.0-OpenSSH_9.6\r\n\r\n");
            link.awaitClose();
        });
        RecordingListener listener = new RecordingListener();
        send(post(upstream.url("/v1/chat/completions")), listener);

        assertThat(listener.failure().deadlinePassed()).isFalse();
        upstream.awaitClientClose();
    }

    @Test
    void aHeaderValueWithALineBreakIsNotSent() throws Exception {
        FakeUpstream upstream = upstream((request, link) -> link.write(whole("{}")));
        RecordingListener listener = new RecordingListener();
        send(post(upstream.url("/v1/chat/completions")).withHeader("x-injected", "a\r\nx-evil: 1"), listener);

        assertThat(listener.failure().cause()).hasMessageContaining("cannot be sent");
        settleLoops();
        assertThat(upstream.requests).isEmpty();
    }
}
