package io.llmgw.netty;

import io.llmgw.core.http.Headers;
import io.llmgw.core.upstream.UpstreamRequest;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;

/**
 * What the transport tests share: a group of event loops of their own (epoll where it is available,
 * as in production), the transport on it, the fake upstreams they start, and requests to them.
 */
abstract class TransportTestBase {
    static final String SSE_HEAD = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";
    /** An upstream that starts a stream, sends one event and then waits for the client to close. */
    static final FakeUpstream.Script ONE_EVENT_THEN_WAIT = (request, link) -> {
        link.write(SSE_HEAD);
        link.chunk("data: 1\n\n");
        link.awaitClose();
    };
    final EventLoopGroup group = loops(1);
    NettyUpstreamTransport transport = new NettyUpstreamTransport(group);
    private final List<FakeUpstream> upstreams = new ArrayList<>();

    static EventLoopGroup loops(int count) {
        return Epoll.isAvailable() ? new EpollEventLoopGroup(count) : new NioEventLoopGroup(count);
    }

    FakeUpstream upstream(FakeUpstream.Script script) throws Exception {
        FakeUpstream upstream = new FakeUpstream(script);
        upstreams.add(upstream);
        return upstream;
    }

    /** A POST of a small JSON body with a content type, 10 s to answer. */
    static UpstreamRequest post(String url) {
        return post(url, Duration.ofSeconds(10));
    }

    static UpstreamRequest post(String url, Duration timeout) {
        return new UpstreamRequest(URI.create(url), Headers.of("content-type", "application/json"),
                "{\"n\":1}".getBytes(StandardCharsets.UTF_8), timeout, Duration.ofSeconds(5));
    }

    /** Sends, returning what cancels the exchange. */
    Runnable send(UpstreamRequest request, RecordingListener listener) {
        AtomicReference<Runnable> cancellation = new AtomicReference<>();
        transport.send(request, cancellation::set, listener);
        return cancellation.get();
    }

    /** One exchange with {@code upstream} whose whole answer (a JSON object) is heard to its end. */
    RecordingListener answeredWhole(FakeUpstream upstream) throws Exception {
        RecordingListener listener = new RecordingListener();
        send(post(upstream.url("/v1/chat/completions")), listener);
        listener.head();
        listener.bodyUntil("}");
        listener.end();
        return listener;
    }

    /** An answer with a Content-Length body. */
    static String whole(String body) {
        return "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    /**
     * Waits until every loop of the group has run what it had to do up to now (a task handed to each
     * runs after the reads it is already processing), so that a call that was going to come has come.
     */
    void settleLoops() throws Exception {
        for (int round = 0; round < 3; round++) {
            for (EventExecutor loop : group) {
                loop.submit(() -> { }).get(10, TimeUnit.SECONDS);
            }
        }
    }

    @AfterEach
    void stopAll() throws Exception {
        transport.close();
        for (FakeUpstream upstream : upstreams) {
            upstream.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
