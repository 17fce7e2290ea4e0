package io.llmgw.app;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * On the listening channel: counts the connections open, and at the cap stops accepting until one
 * closes — further clients wait in the kernel's accept queue ({@link ServerSettings#ACCEPT_QUEUE})
 * rather than being refused, as under Jetty's connection limit before. Keeps the open connections
 * for shutdown, which closes each once its answer is over.
 *
 * <p>Accepting stops within the accept loop's current pass: epoll hands each accepted connection over
 * as it accepts it, so the cap is exact there; NIO hands over a pass's connections together (at most
 * 16), which may go that far past it.
 */
@ChannelHandler.Sharable
final class ConnectionLimit extends ChannelInboundHandlerAdapter {
    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();

    ConnectionLimit(int max) {
        this.max = max;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel listener = ctx.channel();
        Channel connection = (Channel) msg;
        channels.add(connection);
        open.incrementAndGet();
        connection.closeFuture().addListener(closed -> {
            channels.remove(connection);
            if (open.decrementAndGet() == max - 1 && listener.isOpen()) {
                listener.eventLoop().execute(() -> acceptWhileBelowTheCap(listener));
            }
        });
        acceptWhileBelowTheCap(listener);
        ctx.fireChannelRead(msg);
    }

    /** On the listener's event loop, so that the decisions to stop and to resume come in order. */
    private void acceptWhileBelowTheCap(Channel listener) {
        boolean accept = open.get() < max;
        if (listener.isOpen() && listener.config().isAutoRead() != accept) {
            listener.config().setAutoRead(accept);
        }
    }

    /** The cap. */
    int max() {
        return max;
    }

    /** Connections open now. */
    int open() {
        return open.get();
    }

    /** The connections open now, for shutdown. */
    Set<Channel> channels() {
        return channels;
    }
}
