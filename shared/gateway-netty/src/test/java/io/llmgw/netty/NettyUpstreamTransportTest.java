package io.llmgw.netty;

import static io.llmgw.netty.FakeUpstream.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgw.core.http.Headers;
import io.llmgw.core.upstream.UpstreamRequest;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Answers as they arrive, the request as the upstream receives it, and connections kept between exchanges. */
class NettyUpstreamTransportTest extends TransportTestBase {

    @Test
    void aWholeAnswerWithItsLength() throws Exception {
        FakeUpstream upstream = upstream((request, link) -> link.write(whole("{\"id\":\"a\"}")));
        RecordingListener listener = new RecordingListener();
        send(post(upstream.url("/v1/chat/completions")), listener);

        RecordingListener.Head head = listener.head();
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.headers().first("content-type")).isEqualTo("application/json");
        assertThat(listener.bodyUntil("}")).isEqualTo("{\"id\":\"a\"}");
        listener.end();
    }

    @Test
    void aChunkedStreamArrivesPieceByPiece() throws Exception {
        CountDownLatch firstEventSeen = new CountDownLatch(1);
        FakeUpstream upstream = upstream((request, link) -> {
            link.write(SSE_HEAD);
            link.chunk("data: {\"n\":1}\n\n");
            // the rest only once the client has had the first event: a transport that waited for more fails here
            firstEventSeen.await(10, TimeUnit.SECONDS);
            link.chunk("data: {\"n\":2}\n\n");
            link.chunk("data: [DONE]\n\n");
            link.write("0\r\n\r\n");
        });
        RecordingListener listener = new RecordingListener();
        send(post(upstream.url("/v1/chat/completions")), listener);

        assertThat(listener.head().headers().first("content-type")).isEqualTo("text/event-stream");
        assertThat(listener.bodyUntil("\n\n")).isEqualTo("data: {\"n\":1}\n\n");
        firstEventSeen.countDown();
        assertThat(listener.bodyUntil("[DONE]\n\n")).isEqualTo("data: {\"n\":2}\n\ndata: [DONE]\n\n");
        listener.end();
    }

    @Test
    void theStatusAndHeadersAsSent() throws Exception {
        FakeUpstream upstream = upstream((request, link) -> link.write("HTTP/1.1 429 Too Many Requests\r\n"
                + "retry-after: 3\r\nX-Multi: a\r\nx-multi: b\r\ncontent-length: 0\r\n\r\n"));
        RecordingListener listener = new RecordingListener();
        send(post(upstream.url("/v1/messages")), listener);

        RecordingListener.Head head = listener.head();
        assertThat(head.status()).isEqualTo(429);
        assertThat(head.headers().first("retry-after")).isEqualTo("3");
        assertThat(head.headers().all("x-multi")).containsExactly("a", "b");
        listener.end();
    }

    @Test
    void anInformationalAnswerBeforeTheAnswerIsPassedOver() throws Exception {
        FakeUpstream upstream = upstream((request, link) -> link.write("HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 103 Early Hints\r\nlink: </style.css>; rel=preload\r\n\r\n" + whole("{}")));
        RecordingListener listener = new RecordingListener();
        send(post(upstream.url("/v1/chat/completions")), listener);

        assertThat(listener.head().status()).isEqualTo(200);
        assertThat(listener.bodyUntil("}")).isEqualTo("{}");
        listener.end();
        assertThat(transport.idleConnections()).isEqualTo(1);
    }

    @Test
    void theRequestArrivesAsGivenWithoutTheHeadersTheTransportOwns() throws Exception {
        FakeUpstream upstream = upstream((request, link) -> link.write(whole("{}")));
        Headers headers = Headers.of("content-type", "application/json", "authorization", "Bearer k",
                "x-custom", "one", "x-custom", "two");
        for (String restricted : io.llmgw.core.upstream.UpstreamRequest.TRANSPORT_HEADERS) {
            headers.add(restricted, "from-the-caller");
        }
        byte[] body = "{\"model\":\"m\",\"stream\":true}".getBytes(StandardCharsets.UTF_8);
        RecordingListener listener = new RecordingListener();
        send(new UpstreamRequest(URI.create(upstream.url("/v1/chat/completions?api-version=2024-10-21")), headers, body,
                Duration.ofSeconds(10), Duration.ofSeconds(5)), listener);
        listener.head();
        listener.bodyUntil("}");
        listener.end();

        FakeUpstream.Request received = upstream.nextRequest();
        assertThat(received.requestLine()).isEqualTo("POST /v1/chat/completions?api-version=2024-10-21 HTTP/1.1");
        assertThat(received.header("host")).isEqualTo("127.0.0.1:" + upstream.port());
        assertThat(received.header("content-length")).isEqualTo(String.valueOf(body.length));
        assertThat(received.header("authorization")).isEqualTo("Bearer k");
        assertThat(received.headerLines()).contains("x-custom: one", "x-custom: two");
        assertThat(received.headerNames()).containsOnlyOnce("host", "content-length")
                .doesNotContain("connection", "expect", "upgrade", "transfer-encoding", "keep-alive", "te", "trailer",
                        "proxy-connection", "accept-encoding");
        assertThat(received.body()).isEqualTo(body);
    }

    @Test
    void aHeaderValueThatWouldSplitTheRequestIsNeverWritten() throws Exception {
        FakeUpstream upstream = upstream((request, link) -> link.write(whole("{}")));
        Headers headers = Headers.of("authorization", "Bearer k", "x-forwarded", "a\r\nx-injected: yes");
        RecordingListener listener = new RecordingListener();
        send(new UpstreamRequest(URI.create(upstream.url("/v1/chat/completions")), headers, new byte[] {'{', '}'},
                Duration.ofSeconds(10), Duration.ofSeconds(5)), listener);

        assertThat(listener.failure().cause()).isInstanceOf(IOException.class).hasMessageContaining("cannot be sent")
                .hasMessageContaining("x-forwarded");
        assertThat(upstream.requests).isEmpty();
    }

    @Test
    void aRequestWithoutBodyIsAGetWithoutLength() throws Exception {
        FakeUpstream upstream = upstream((request, link) -> link.write(whole("{\"data\":[]}")));
        RecordingListener listener = new RecordingListener();
        send(new UpstreamRequest(URI.create(upstream.url("/v1/models")), new Headers(), null, Duration.ofSeconds(10),
                Duration.ofSeconds(5)), listener);
        listener.head();
        listener.bodyUntil("}");
        listener.end();

        FakeUpstream.Request received = upstream.nextRequest();
        assertThat(received.requestLine()).isEqualTo("GET /v1/models HTTP/1.1");
        assertThat(received.headerNames()).containsExactly("host");
    }

    @Test
    void exchangesInTurnShareOneConnection() throws Exception {
        FakeUpstream upstream = upstream((request, link) -> link.write(whole("{\"ok\":true}")));
        for (int i = 0; i < 3; i++) {
            RecordingListener listener = new RecordingListener();
            send(post(upstream.url("/v1/chat/completions")), listener);
            listener.head();
            listener.bodyUntil("}");
            listener.end();
        }
        assertThat(upstream.requests).hasSize(3);
        assertThat(upstream.connections()).as("connections the upstream accepted").isEqualTo(1);
        assertThat(transport.idleConnections()).isEqualTo(1);
    }

    @Test
    void anAnswerWithConnectionCloseDoesNotKeepTheConnection() throws Exception {
        // the upstream leaves the connection open: the client has to close it
        FakeUpstream upstream = upstream((request, link) -> link.write("HTTP/1.1 200 OK\r\nconnection: close\r\n"
                + "content-length: 2\r\n\r\n{}"));
        exchangeDoesNotKeepItsConnection(upstream);
    }

    @Test
    void anHttp10AnswerDoesNotKeepTheConnection() throws Exception {
        FakeUpstream upstream = upstream((request, link) -> link.write("HTTP/1.0 200 OK\r\ncontent-length: 2\r\n\r\n{}"));
        exchangeDoesNotKeepItsConnection(upstream);
    }

    private void exchangeDoesNotKeepItsConnection(FakeUpstream upstream) throws Exception {
        answeredWhole(upstream);
        upstream.awaitClientClose();
        assertThat(transport.idleConnections()).isZero();

        RecordingListener next = new RecordingListener();
        send(post(upstream.url("/v1/chat/completions")), next);
        next.head();
        assertThat(upstream.connections()).isEqualTo(2);
    }

    @Test
    void aPooledConnectionTheUpstreamClosesIsDroppedAndTheNextExchangeConnectsAgain() throws Exception {
        FakeUpstream upstream = upstream((request, link) -> {
            link.write(whole("{}"));
            link.close(); // as an upstream's own idle timeout does, without saying so in the answer
        });
        answeredWhole(upstream);
        eventually("the closed connection left the pool", () -> transport.idleConnections() == 0);

        RecordingListener next = new RecordingListener();
        send(post(upstream.url("/v1/chat/completions")), next);
        assertThat(next.head().status()).isEqualTo(200);
        next.bodyUntil("}");
        next.end();
        assertThat(upstream.connections()).isEqualTo(2);
    }

    @Test
    void aConnectionIdleForTheIdleTimeoutIsClosed() throws Exception {
        transport.close();
        transport = new NettyUpstreamTransport(group, null, false, Duration.ofMillis(200), NettyUpstreamTransport.END_WAIT);
        FakeUpstream upstream = upstream((request, link) -> link.write(whole("{}")));
        answeredWhole(upstream);

        upstream.awaitClientClose();
        assertThat(transport.idleConnections()).isZero();
    }

    @Test
    void anExchangeStartedOnALoopRunsOnThatLoop() throws Exception {
        EventLoopGroup two = loops(2);
        try (NettyUpstreamTransport onTwo = new NettyUpstreamTransport(two)) {
            FakeUpstream upstream = upstream((request, link) -> {
                link.write(SSE_HEAD);
                link.chunk("data: 1\n\n");
                link.chunk("data: 2\n\n");
                link.write("0\r\n\r\n");
            });
            List<Thread> loopThreads = new ArrayList<>();
            List<RecordingListener> listeners = new ArrayList<>();
            for (EventExecutor loop : two) {
                RecordingListener listener = new RecordingListener();
                listeners.add(listener);
                loopThreads.add(loop.submit(() -> {
                    onTwo.send(post(upstream.url("/v1/chat/completions")), cancel -> { }, listener);
                    return Thread.currentThread();
                }).get(10, TimeUnit.SECONDS));
            }
            assertThat(loopThreads.get(0)).isNotSameAs(loopThreads.get(1));
            for (int i = 0; i < 2; i++) {
                RecordingListener listener = listeners.get(i);
                listener.head();
                listener.bodyUntil("data: 2\n\n");
                listener.end();
                assertThat(listener.threads).containsExactly(loopThreads.get(i));
            }
        } finally {
            two.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void nioLoopsServeAsWellAsEpollOnes() throws Exception {
        EventLoopGroup nio = new NioEventLoopGroup(1);
        try (NettyUpstreamTransport onNio = new NettyUpstreamTransport(nio)) {
            FakeUpstream upstream = upstream((request, link) -> link.write(whole("{}")));
            RecordingListener listener = new RecordingListener();
            onNio.send(post(upstream.url("/v1/chat/completions")), cancel -> { }, listener);
            listener.head();
            listener.bodyUntil("}");
            listener.end();
        } finally {
            nio.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aTransportWithLoopsOfItsOwnServesUntilClosed() throws Exception {
        FakeUpstream upstream = upstream((request, link) -> link.write(whole("{}")));
        NettyUpstreamTransport own = NettyUpstreamTransport.withOwnLoops(1);
        RecordingListener listener = new RecordingListener();
        own.send(post(upstream.url("/v1/chat/completions")), cancel -> { }, listener);
        listener.head();
        listener.bodyUntil("}");
        listener.end();

        own.close();
        upstream.awaitClientClose(); // the pooled connection, closed with the transport
        assertThatThrownBy(() -> own.send(post(upstream.url("/")), cancel -> { }, new RecordingListener()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSendFromAnotherThreadRunsOnOneOfTheLoops() throws Exception {
        FakeUpstream upstream = upstream((request, link) -> link.write(whole("{}")));
        RecordingListener listener = answeredWhole(upstream);
        Thread loop = group.next().submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
        assertThat(listener.threads).containsExactly(loop);
    }
}
