package io.llmgw.app;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The process's event loops, one per core (epoll on Linux, NIO elsewhere): the server reads its
 * connections on them and the upstream transport its exchanges, so that a request read on a loop is
 * sent, answered and relayed on that same loop, with no hand-off between threads.
 */
final class EventLoops implements AutoCloseable {
    private final boolean epoll = Epoll.isAvailable();
    private final int count = Runtime.getRuntime().availableProcessors();
    private final EventLoopGroup group;

    /** Netty's own setting for its leak detector; see {@link #leakDetectionOffUnlessAsked}. */
    static final String LEAK_DETECTION = "io.netty.leakDetection.level";

    EventLoops() {
        leakDetectionOffUnlessAsked();
        DefaultThreadFactory threads = new DefaultThreadFactory("gateway-loop");
        this.group = epoll ? new EpollEventLoopGroup(count, threads) : new NioEventLoopGroup(count, threads);
    }

    /**
     * Netty samples one pooled buffer in 128 for leaks by default, recording a stack trace for each:
     * about 1 % of the loops' time at saturation, for reports nobody reads in production. Off unless
     * {@code -Dio.netty.leakDetection.level} asks for a level (the tests run with Netty's default).
     */
    static void leakDetectionOffUnlessAsked() {
        if (System.getProperty(LEAK_DETECTION) == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    EventLoopGroup group() {
        return group;
    }

    boolean epoll() {
        return epoll;
    }

    int count() {
        return count;
    }

    Class<? extends ServerChannel> serverChannel() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The loops end with the application context, after the server and the gateway that use them. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
