package io.llmgw.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * One upstream connection, the last handler of its pipeline: it hands what the codec decodes to the
 * exchange on it, if any, and otherwise watches the connection while it waits in the pool. Only its
 * event loop touches it.
 */
final class Connection extends ChannelInboundHandlerAdapter {
    final Origin origin;
    private final ConnectionPool pool;
    private Channel channel;
    /** The exchange the connection serves now; null while it waits in the pool. */
    private Exchange exchange;
    /** Kept by the pool: whether the connection waits in it, and since when. */
    boolean pooled;
    long idleSince;

    Connection(ConnectionPool pool, Origin origin) {
        this.pool = pool;
        this.origin = origin;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        channel = context.channel();
        // Out of the pool the moment it closes: the close future is completed as the socket closes,
        // a turn of the loop before channelInactive, so the pool never hands out a closed connection
        channel.closeFuture().addListener(closed -> pool.remove(this));
    }

    Channel channel() {
        return channel;
    }

    void attach(Exchange current) {
        exchange = current;
    }

    void detach() {
        exchange = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
        Exchange current = exchange;
        if (current != null) {
            current.read((HttpObject) message);
            return;
        }
        // Bytes nobody asked for on an idle connection (a 408 before an idle close, or garbage): the
        // codec's state can no longer be trusted for the next request
        ReferenceCountUtil.release(message);
        context.close();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        Exchange current = exchange;
        if (current != null) {
            current.readComplete();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        Exchange current = exchange;
        if (current != null) {
            // after the codec passed on what the close completes (a body that ends with the connection)
            current.connectionClosed();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        // A failed TLS handshake is told here first, with its cause, before the close it leads to
        if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
            failed(context, handshake.cause());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        failed(context, cause);
    }

    private void failed(ChannelHandlerContext context, Throwable cause) {
        Exchange current = exchange;
        if (current != null) {
            current.failed(cause);
        }
        context.close();
    }
}
