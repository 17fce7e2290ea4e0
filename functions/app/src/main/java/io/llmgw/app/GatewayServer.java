package io.llmgw.app;

import io.llmgw.core.LiveGateway;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.context.SmartLifecycle;

/**
 * The HTTP/1.1 server of the local process and the container: Netty event loops, one per core (epoll
 * on Linux, NIO elsewhere), each connection's requests parsed on its loop ({@link HttpConnection}) and
 * served by the gateway on a request thread ({@link RequestHandOff}). Started and stopped with the
 * Spring context; the AWS Lambda HTTP API package runs the same application without it, through
 * {@link GatewayServlet}.
 *
 * <p>Shutdown runs after {@link GracefulDrain} has waited for the streams in flight: the listener
 * closes, idle connections close at once, the others after their current answer, and whatever is
 * still open after {@link #STOP_WAIT} (a stream longer than the grace period) is cut.
 */
public final class GatewayServer implements SmartLifecycle, AutoCloseable {
    /** How long stopping waits for answers still being written once the drain is over (probes, scrapes, cut streams). */
    static final Duration STOP_WAIT = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

    private final ServerSettings settings;
    private final EventLoops loops;
    private final ConnectionLimit connections;
    private final RequestHandOff handOff;
    private final ServerErrors errors;
    private volatile Channel listener;
    private volatile boolean stopping;

    GatewayServer(LiveGateway gateway, ServerSettings settings, EventLoops loops) {
        this.settings = settings;
        this.loops = loops;
        this.connections = new ConnectionLimit(settings.maxConnections());
        this.handOff = new RequestHandOff(gateway, new RequestThreads(ServerSettings.PLATFORM_REQUEST_THREADS));
        this.errors = new ServerErrors(gateway::current);
    }

    @Override
    public void start() {
        Class<? extends ServerChannel> type = loops.serverChannel();
        HttpDecoderConfig http = new HttpDecoderConfig()
                .setMaxInitialLineLength(settings.maxHeaderBytes())
                .setMaxHeaderSize(settings.maxHeaderBytes());
        long idleMillis = settings.idleTimeout().toMillis();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops.group())
                .channel(type)
                .option(ChannelOption.SO_BACKLOG, ServerSettings.ACCEPT_QUEUE)
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(connections)
                // Reads are asked for when something needs the bytes (HttpConnection), not taken as they come.
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // A client that shuts its side after the request still gets the answer.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(ServerSettings.WRITE_LOW_WATER_MARK, ServerSettings.WRITE_HIGH_WATER_MARK))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(
                                // idle: nothing read and nothing written, a write that makes no progress counting as nothing
                                new IdleStateHandler(true, 0, 0, idleMillis, TimeUnit.MILLISECONDS),
                                new HttpServerCodec(http),
                                new HttpConnection(GatewayServer.this));
                    }
                });
        InetSocketAddress address = settings.address() == null ? new InetSocketAddress(settings.port())
                : new InetSocketAddress(settings.address(), settings.port());
        try {
            listener = bootstrap.bind(address).syncUninterruptibly().channel();
        } catch (Exception e) {
            // NIO reports a BindException, epoll its own IOException with the system's message
            if (e instanceof BindException || String.valueOf(e.getMessage()).endsWith("Address already in use")) {
                throw new PortInUseException(settings.port(), e);  // Spring Boot's start-up failure says so in one line
            }
            throw e;
        }
        stopping = false;
        LOG.atInfo().setMessage("listening").addKeyValue("port", port()).addKeyValue("io", loops.epoll() ? "epoll" : "nio")
                .addKeyValue("event_loops", loops.count()).log();
    }

    @Override
    public void stop() {
        Channel open = listener;
        if (open == null) {
            return;
        }
        stopping = true;
        open.close().syncUninterruptibly();
        listener = null;
        for (Channel connection : connections.channels()) {
            HttpConnection http = connection.pipeline().get(HttpConnection.class);
            if (http != null) {
                http.closeWhenIdle();
            } else {
                connection.close();
            }
        }
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        try {
            while (connections.open() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Channel connection : connections.channels()) {
            connection.close();
        }
    }

    @Override
    public boolean isRunning() {
        return listener != null;
    }

    /** After {@link GracefulDrain} (which stops first), as the servlet container's graceful shutdown did. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }

    @Override
    public void close() {
        stop();
    }

    /** The port listened on (the one picked when the settings asked for 0); -1 when not listening. */
    public int port() {
        Channel open = listener;
        return open == null ? -1 : ((InetSocketAddress) open.localAddress()).getPort();
    }

    ServerSettings settings() {
        return settings;
    }

    /** The connections open now and the cap on them, for tests. */
    ConnectionLimit connections() {
        return connections;
    }

    /** The listening channel, for tests of its settings; null when not listening. */
    Channel listener() {
        return listener;
    }

    boolean stopping() {
        return stopping;
    }

    RequestHandOff handOff() {
        return handOff;
    }

    ServerErrors errors() {
        return errors;
    }
}
