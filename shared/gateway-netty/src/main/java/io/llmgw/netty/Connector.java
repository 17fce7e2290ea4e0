package io.llmgw.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.NetUtil;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Opens upstream connections: TCP on the exchange's own loop, TLS for https, and the HTTP/1.1
 * codec, with nothing in the pipeline that gathers a body (no aggregator, no decompressor): each
 * piece of the answer goes to the exchange as it is decoded.
 */
final class Connector {
    /**
     * An 8 KB status line and 64 KB of headers at most (an upstream that sends more is broken, and
     * the codec would hold it all), and body pieces of at most 8 KB: larger reads reach the listener
     * in several calls instead of one large buffer.
     */
    private static final HttpDecoderConfig DECODING = new HttpDecoderConfig()
            .setMaxInitialLineLength(8 * 1024)
            .setMaxHeaderSize(64 * 1024)
            .setMaxChunkSize(8 * 1024);
    /** One for the process: host names are looked up off the loops ({@link OffLoopResolver}). */
    private static final OffLoopResolver RESOLVER = new OffLoopResolver();
    private final Bootstrap bootstrap;
    /** The TLS context given, or null until the JVM's default one is first needed. */
    private volatile SslContext tls;

    /** @param tls null for the JVM's default trust, made on the first https connection */
    Connector(Class<? extends Channel> channelType, SslContext tls) {
        this.tls = tls;
        // No read or write timeouts, and no keep-alive probes: the exchange's deadline bounds it all
        this.bootstrap = new Bootstrap().channel(channelType).option(ChannelOption.TCP_NODELAY, true)
                .resolver(RESOLVER);
    }

    /**
     * Starts connecting to {@code origin} on {@code loop}, {@code connection} the pipeline's last
     * handler; the future completes when TCP is connected (the TLS handshake goes on after it, and
     * the request written meanwhile waits in the TLS handler for it). Throws the {@link SSLException}
     * that making the JVM's default TLS context may end in.
     */
    ChannelFuture connect(EventLoop loop, Origin origin, Connection connection) throws SSLException {
        // made before connecting, so that a failure to make it is the exchange's and not a silent close
        SslHandler tlsHandler = origin.tls() ? tlsHandler(origin) : null;
        return bootstrap.clone(loop)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, origin.connectTimeoutMillis())
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        if (tlsHandler != null) {
                            channel.pipeline().addLast(tlsHandler);
                        }
                        channel.pipeline().addLast(new HttpClientCodec(DECODING, false, false), connection);
                    }
                })
                .connect(origin.address());
    }

    /**
     * TLS on the JDK's engine, as the blocking client has it: the server's certificate checked against
     * the trust store and for the host name (a certificate for another host is refused), the host sent
     * as SNI. The handshake is bounded by the connect timeout, so that connecting means the same over
     * TLS as without it.
     */
    private SslHandler tlsHandler(Origin origin) throws SSLException {
        SslHandler handler = context().newHandler(ByteBufAllocator.DEFAULT, origin.host(), origin.port());
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        // also for a context handed in, which need not have asked for it
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!NetUtil.isValidIpV4Address(origin.host()) && !NetUtil.isValidIpV6Address(origin.host())) {
            parameters.setServerNames(List.of(new SNIHostName(origin.host())));
        }
        engine.setSSLParameters(parameters);
        handler.setHandshakeTimeoutMillis(origin.connectTimeoutMillis());
        return handler;
    }

    private SslContext context() throws SSLException {
        SslContext context = tls;
        if (context == null) {
            synchronized (this) {
                context = tls;
                if (context == null) {
                    context = tls = defaultContext();
                }
            }
        }
        return context;
    }

    /**
     * The JVM's default TLS context, as the blocking client uses it: its trust (cacerts, or
     * {@code javax.net.ssl.trustStore}), its client certificate for upstreams that ask for one
     * ({@code javax.net.ssl.keyStore}: mutual TLS), and its enabled protocols and cipher suites rather
     * than Netty's list. The host name is checked per connection ({@link #tlsHandler}).
     */
    static SslContext defaultContext() throws SSLException {
        SSLContext jvm;
        try {
            jvm = SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            // e.g. a javax.net.ssl.keyStore that cannot be read; the cause names it
            throw new SSLException("the JVM's default TLS context cannot be made: " + e.getMessage(), e);
        }
        SSLParameters defaults = jvm.getDefaultSSLParameters();
        return new JdkSslContext(jvm, true, List.of(defaults.getCipherSuites()), IdentityCipherSuiteFilter.INSTANCE,
                ApplicationProtocolConfig.DISABLED, ClientAuth.NONE, defaults.getProtocols(), false);
    }
}
