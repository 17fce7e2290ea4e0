package io.llmgw.bench;

import io.llmgw.bench.jmh.InProcessGateway;
import io.llmgw.core.http.Headers;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A calibration target, not a gateway: an HTTP/1.1 reverse proxy on Netty's event loops (one per
 * core, epoll where it is available), the request parsed and forwarded and the answer relayed on
 * the loop that read it, with no thread hand-off anywhere. It does none of the gateway's work (no
 * body parsing, authentication, routing, log line or usage); measured beside the gateway (the
 * {@code netty} target of {@code side-by-side.sh}, or {@code BENCH_RELAY=event-loop} in
 * {@code run-load.sh}), it shows what an event-loop request path in a JVM costs on the machine at
 * hand before any gateway work is added: the floor an event-loop rewrite of the gateway's request
 * path could reach (README › The floor of an event-loop request path). With {@code gateway-work} it
 * also does the gateway's own work for each request on the loop, before forwarding it: the request
 * served by a gateway in this process whose upstream answers at no cost ({@link InProcessGateway}),
 * its answer dropped — the CPU an event-loop gateway would add to the relay, spent where it would be.
 * {@code java -cp gateway-bench.jar io.llmgw.bench.EventLoopProxyMain <listen port> <upstream host> <upstream port> [gateway-work]}
 */
public final class EventLoopProxyMain {
    private EventLoopProxyMain() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 3) {
            System.err.println("usage: EventLoopProxyMain <listen port> <upstream host> <upstream port> [gateway-work]");
            System.exit(2);
        }
        InProcessGateway work = args.length > 3 && args[3].equals("gateway-work") ? new InProcessGateway() : null;
        Proxy proxy = start(Integer.parseInt(args[0]), new InetSocketAddress(args[1], Integer.parseInt(args[2])), work);
        System.out.println("event-loop proxy listening on " + proxy.port() + " (" + proxy.description + "), relaying to "
                + args[1] + ":" + args[2] + (work == null ? "" : ", doing the gateway's work for each request"));
        proxy.server.closeFuture().sync();
    }

    /**
     * Starts the proxy on {@code port} of the loopback address (0: any free port), relaying to
     * {@code upstream}; with {@code work}, serving each request there first (null: no gateway work).
     */
    static Proxy start(int port, InetSocketAddress upstream, InProcessGateway work) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        int loops = Runtime.getRuntime().availableProcessors();
        EventLoopGroup group = epoll ? new EpollEventLoopGroup(loops) : new NioEventLoopGroup(loops);
        Class<? extends ServerChannel> serverType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        Class<? extends Channel> clientType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        Channel server = new ServerBootstrap()
                .group(group)
                .channel(serverType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                new Frontend(upstream, clientType, work));
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .sync()
                .channel();
        return new Proxy(group, server, loops + (epoll ? " epoll" : " nio") + " event loops");
    }

    /** A running proxy; closing it closes its port and ends its event loops. */
    static final class Proxy implements AutoCloseable {
        private final EventLoopGroup group;
        private final Channel server;
        private final String description;

        private Proxy(EventLoopGroup group, Channel server, String description) {
            this.group = group;
            this.server = server;
            this.description = description;
        }

        int port() {
            return ((InetSocketAddress) server.localAddress()).getPort();
        }

        @Override
        public void close() {
            server.close().syncUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * One client connection: its upstream connection (opened on the same event loop with its first
     * request, kept for the next ones, as the TCP relay keeps one per client) and the requests it
     * forwards there, one at a time as HTTP/1.1 without pipelining sends them.
     */
    private static final class Frontend extends ChannelInboundHandlerAdapter {
        private final InetSocketAddress address;
        private final Class<? extends Channel> clientType;
        private final InProcessGateway work;
        private Channel upstream;

        Frontend(InetSocketAddress address, Class<? extends Channel> clientType, InProcessGateway work) {
            this.address = address;
            this.clientType = clientType;
            this.work = work;
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            if (!(message instanceof FullHttpRequest request)) {
                ReferenceCountUtil.release(message);
                return;
            }
            if (work != null && request.method().equals(HttpMethod.POST) && !servedInProcess(request)) {
                request.release();
                DefaultFullHttpResponse refused = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_GATEWAY);
                HttpUtil.setContentLength(refused, 0);
                context.writeAndFlush(refused);
                return;
            }
            request.headers().set(HttpHeaderNames.HOST, address.getHostString() + ":" + address.getPort());
            if (upstream != null && upstream.isActive()) {
                upstream.writeAndFlush(request);
                return;
            }
            Channel client = context.channel();
            new Bootstrap()
                    .group(client.eventLoop())
                    .channel(clientType)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel channel) {
                            channel.pipeline().addLast(new HttpClientCodec(), new Backend(client));
                        }
                    })
                    .connect(address)
                    .addListener((ChannelFutureListener) connected -> {
                        if (connected.isSuccess()) {
                            upstream = connected.channel();
                            upstream.writeAndFlush(request);
                        } else {
                            request.release();
                            client.close();
                        }
                    });
        }

        /**
         * The gateway's work for this request (a POST, what the benchmarks send; anything else, such as
         * their readiness probe, is only relayed): its headers, with the in-process gateway's key, and
         * its body, served there.
         */
        private boolean servedInProcess(FullHttpRequest request) {
            Headers headers = new Headers();
            request.headers().forEach(header -> headers.add(header.getKey(), header.getValue()));
            headers.set("authorization", "Bearer " + InProcessGateway.KEY);
            byte[] body = ByteBufUtil.getBytes(request.content());
            return work.serve(new QueryStringDecoder(request.uri()).path(), headers, body) == 200;
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            if (upstream != null) {
                upstream.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            context.close();
        }
    }

    /**
     * An upstream connection: every part of an answer (head, pieces of body, end) goes to the client
     * as it is read, and is flushed once per read from the socket, so a stream's events leave as
     * soon as they arrive and a small answer leaves in one write.
     */
    private static final class Backend extends ChannelInboundHandlerAdapter {
        private final Channel client;

        Backend(Channel client) {
            this.client = client;
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            client.write(message, client.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext context) {
            client.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            client.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            context.close();
        }
    }
}
