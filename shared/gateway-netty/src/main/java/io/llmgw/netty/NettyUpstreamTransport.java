package io.llmgw.netty;

import io.llmgw.core.upstream.UpstreamListener;
import io.llmgw.core.upstream.UpstreamRequest;
import io.llmgw.core.upstream.UpstreamTransport;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoop;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Upstream HTTP/1.1 on Netty's event loops: the request is written and the answer pushed to the
 * {@link UpstreamListener} as it is decoded, on one loop, with no thread waiting for it — the
 * transport an event-loop request path needs (docs/decisions.md, the event-loop request path). It
 * keeps what the blocking {@code UpstreamClient} does: the request timeout covers the whole
 * exchange (a timer on the loop closes the connection when it passes), the exchange can be
 * cancelled from any thread, nothing is redirected, retried or decompressed, the same headers are
 * never forwarded, connections are kept alive and pooled, and a stream ended at its marker keeps its
 * connection when the rest of the body follows within 8 KB and 50 ms
 * ({@link io.llmgw.core.upstream.UpstreamExchange#finish}).
 *
 * <p>The loops are given (the server will share its own) or made by {@link #withOwnLoops}. Each loop
 * has its own pool of idle connections, by scheme, host, port and connect timeout: an exchange
 * started on one of the group's loops (the server's request on it) runs on that loop from its first
 * byte to its last, and one started on any other thread goes to the group's next loop. A connection
 * idle for 30 s is closed, and one the server closes leaves the pool as the close arrives
 * ({@code ConnectionPool}). HTTPS goes through the JDK's TLS engine with the JVM's default trust,
 * the host name verified and sent as SNI. An open stream holds its channel, the codec's small state
 * and its exchange: buffers come from Netty's pooled allocator for one read at a time, and no body
 * is gathered.
 */
public final class NettyUpstreamTransport implements UpstreamTransport, AutoCloseable {
    /** Idle pooled connections are closed after this long (java.net.http's default keep-alive, and the blocking client's eviction). */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * How long the end of the body may take after {@link io.llmgw.core.upstream.UpstreamExchange#finish}
     * (as the blocking client's {@code closeAtEnd}): upstreams end a stream's body right after its marker.
     */
    static final Duration END_WAIT = Duration.ofMillis(50);
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final Connector connector;
    /** One per loop of the group, made with it; each is only touched on its own loop. */
    private final ConnectionPool[] pools;
    private final Duration endWait;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** On {@code group}'s loops (epoll or NIO), which it does not close; https with the JVM's default trust. */
    public NettyUpstreamTransport(EventLoopGroup group) {
        this(group, null, false, IDLE_TIMEOUT, END_WAIT);
    }

    /** As {@link #NettyUpstreamTransport(EventLoopGroup)}, with {@code tls} for https (an upstream with a certificate of its own). */
    public NettyUpstreamTransport(EventLoopGroup group, SslContext tls) {
        this(group, requireNonNullTls(tls), false, IDLE_TIMEOUT, END_WAIT);
    }

    /** With the idle timeout and the wait after {@code finish} of a test's choosing. */
    NettyUpstreamTransport(EventLoopGroup group, SslContext tls, boolean ownsGroup, Duration idleTimeout, Duration endWait) {
        this.group = group;
        this.endWait = endWait;
        this.ownsGroup = ownsGroup;
        this.connector = new Connector(channelType(group), tls);
        List<ConnectionPool> loops = new ArrayList<>();
        for (EventExecutor executor : group) {
            loops.add(new ConnectionPool((EventLoop) executor, idleTimeout.toNanos()));
        }
        this.pools = loops.toArray(ConnectionPool[]::new);
    }

    /**
     * A transport on {@code loops} event loops of its own (epoll where it is available, NIO otherwise;
     * daemon threads), which {@link #close} ends.
     */
    public static NettyUpstreamTransport withOwnLoops(int loops) {
        DefaultThreadFactory threads = new DefaultThreadFactory("upstream-loop", true);
        EventLoopGroup group = Epoll.isAvailable() ? new EpollEventLoopGroup(loops, threads) : new NioEventLoopGroup(loops, threads);
        return new NettyUpstreamTransport(group, null, true, IDLE_TIMEOUT, END_WAIT);
    }

    private static SslContext requireNonNullTls(SslContext tls) {
        if (tls == null) {
            throw new NullPointerException("tls");
        }
        return tls;
    }

    /** The socket channel that goes with the group's loops. */
    private static Class<? extends Channel> channelType(EventLoopGroup group) {
        EventExecutor any = group.next();
        if (group instanceof EpollEventLoopGroup || any instanceof EpollEventLoop) {
            return EpollSocketChannel.class;
        }
        if (group instanceof NioEventLoopGroup || any instanceof NioEventLoop) {
            return NioSocketChannel.class;
        }
        throw new IllegalArgumentException("not a group of epoll or NIO event loops: " + group.getClass().getName());
    }

    /**
     * {@inheritDoc} Every listener call comes on the loop the exchange runs on: the caller's own when
     * it is one of the group's loops (then possibly before this returns, when the exchange fails at
     * once), else the group's next. An {@link IllegalArgumentException} for a URI that is not http or
     * https; an {@link IllegalStateException} once closed.
     */
    @Override
    public void send(UpstreamRequest request, Consumer<Runnable> cancellation, UpstreamListener listener) {
        if (closed.get()) {
            throw new IllegalStateException("the upstream transport is closed");
        }
        Origin origin = Origin.of(request.uri(), request.connectTimeout());
        ConnectionPool pool = pool();
        Exchange exchange = new Exchange(connector, pool, origin, request, listener, endWait);
        cancellation.accept(exchange::cancel);
        EventLoop loop = pool.loop();
        if (loop.inEventLoop()) {
            exchange.start();
        } else {
            loop.execute(exchange::start);
        }
    }

    /** The pool of the loop the caller runs on, or of the group's next loop for any other thread. */
    private ConnectionPool pool() {
        for (ConnectionPool pool : pools) {
            if (pool.loop().inEventLoop()) {
                return pool;
            }
        }
        EventExecutor next = group.next();
        for (ConnectionPool pool : pools) {
            if (pool.loop() == next) {
                return pool;
            }
        }
        throw new IllegalStateException("the group's loops changed: " + next);
    }

    /** How many idle connections the pools hold (for tests; not from one of the loops): read on each loop in turn. */
    int idleConnections() {
        int idle = 0;
        for (ConnectionPool pool : pools) {
            idle += pool.loop().submit(pool::size).syncUninterruptibly().getNow();
        }
        return idle;
    }

    /**
     * Closes the idle connections and ends the loops if the transport made them; an exchange still
     * running ends as it would have, and its connection is then closed instead of kept. Waits for the
     * pools unless it runs on one of the loops (which it would then block).
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        boolean onLoop = false;
        List<Future<?>> closing = new ArrayList<>();
        for (ConnectionPool pool : pools) {
            if (pool.loop().inEventLoop()) {
                onLoop = true;
                pool.close();
                continue;
            }
            try {
                closing.add(pool.loop().submit(pool::close));
            } catch (RejectedExecutionException e) {
                // that loop has shut down, and closed its connections as it did
            }
        }
        if (!onLoop) {
            closing.forEach(future -> future.awaitUninterruptibly(5, TimeUnit.SECONDS));
        }
        if (ownsGroup) {
            Future<?> shutdown = group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            if (!onLoop) {
                shutdown.awaitUninterruptibly(10, TimeUnit.SECONDS);
            }
        }
    }
}
