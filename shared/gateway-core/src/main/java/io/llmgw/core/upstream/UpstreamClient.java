package io.llmgw.core.upstream;

import io.llmgw.core.http.CoarseTimer;
import io.llmgw.core.http.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SocketChannel;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SchemePortResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.IdleConnectionEvictor;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.io.DetachedSocketFactory;
import org.apache.hc.client5.http.io.HttpClientConnectionOperator;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Upstream HTTP/1.1 on Apache HttpClient 5's classic (blocking) client — its minimal form, the
 * exchange without the full client's execution chain — on the caller's own thread: no
 * selector thread, no completion stages, no hand-off between threads — the exchange is a write and
 * blocking reads on a pooled keep-alive socket. Measured against
 * {@code java.net.http} with the same load (README "Benchmarks", docs/decisions.md) it costs about
 * a quarter of the CPU per call and a third of the latency.
 *
 * <p>The request timeout covers the whole exchange: a watchdog started before sending aborts the
 * exchange (closing its socket) when the deadline passes, before or after the headers. A body
 * closed before its end aborts the connection instead of draining it, so a client that goes away
 * mid-stream stops the upstream read at once; a body read to its end returns the connection to
 * the pool. The exchange can also be aborted from another thread (a client that went away; see
 * {@link #send(UpstreamRequest, java.util.function.Consumer)}), which a read blocked on a platform
 * thread needs: interrupting it would not close the socket as it does for a virtual thread.
 * Redirects are not followed, nothing is retried, nothing is decompressed. Requests to a scheme
 * registered as an {@link InProcessUpstream} are answered in-process, under the same deadline.
 */
public final class UpstreamClient implements UpstreamTransport, AutoCloseable {
    /** A pooled connection idle this long is checked for a close from the other side before it is reused. */
    private static final TimeValue VALIDATE_AFTER_IDLE = TimeValue.ofSeconds(1);
    /** Idle pooled connections are closed after this long (java.net.http's default keep-alive). */
    private static final TimeValue IDLE_EVICTION = TimeValue.ofSeconds(30);
    /**
     * Each connection's input and output session buffers and its line buffer (8 KB each by
     * default), held for as long as a stream is in flight. They only gather header lines and the
     * small reads and writes an SSE stream makes: reads and writes larger than 512 bytes go to the
     * socket directly, and the line buffer grows to the longest header line.
     */
    private static final int CONNECTION_BUFFER_BYTES = 512;
    private static final RequestConfig NO_READ_TIMEOUT = RequestConfig.custom().setResponseTimeout(Timeout.DISABLED).build();
    /**
     * Upstream sockets that block in {@code read}. The JDK's default socket turns non-blocking for
     * good once it connects or reads with a timeout, and from then on every read that finds no data
     * yet (the usual case while an upstream thinks) costs a failed {@code read}, a {@code poll} and
     * a second {@code read}. A {@link SocketChannel}'s socket goes back to blocking mode after a
     * timed connect, so a read without a timeout is one system call. Closing it from another thread
     * (the watchdog, a client gone) still wakes a read blocked in it. (No SOCKS proxy to honour:
     * the minimal client never routes through one.)
     */
    private static final DetachedSocketFactory BLOCKING_SOCKETS = socksProxy -> SocketChannel.open().socket();

    /** One pool per connect timeout (a connection's connect timeout is the pool's setting), and the thread that evicts its idle connections. */
    private record Pool(CloseableHttpClient client, IdleConnectionEvictor evictor) {}

    private final Map<Duration, Pool> clients = new ConcurrentHashMap<>();
    private final CoarseTimer deadlines = CoarseTimer.shared();
    private final Map<String, InProcessUpstream> inProcess;
    /** Null for the JVM's default context, taken when the first pool is made. */
    private final SSLContext tls;

    public UpstreamClient() {
        this(Map.of());
    }

    /** @param inProcess upstreams answering in this process, by the URI scheme of their requests */
    public UpstreamClient(Map<String, InProcessUpstream> inProcess) {
        this(inProcess, null);
    }

    /** With its own TLS context instead of the JVM's default (tests against an upstream with a certificate of their own). */
    UpstreamClient(Map<String, InProcessUpstream> inProcess, SSLContext tls) {
        this.inProcess = Map.copyOf(inProcess);
        this.tls = tls;
    }

    /**
     * Sends the request and returns once the response headers arrived. Connection failures and
     * timeouts become a {@link io.llmgw.core.error.GatewayException} of kind CONNECTION or TIMEOUT.
     */
    public UpstreamResponse send(UpstreamRequest request) {
        return send(request, cancel -> { });
    }

    /**
     * As {@link #send(UpstreamRequest)}, first handing {@code cancellation} what aborts this exchange
     * from another thread (a client that went away), whether it is waiting for the headers or
     * reading the body.
     */
    public UpstreamResponse send(UpstreamRequest request, java.util.function.Consumer<Runnable> cancellation) {
        try {
            return exchange(request, cancellation);
        } catch (Failed e) {
            throw UpstreamFailures.beforeHead(e.cause, request, e.deadlinePassed);
        }
    }

    /**
     * The exchange pushed to {@code listener}: the head and the body are read on this thread (up to a
     * {@link UpstreamExchange#pause}), so this returns once the answer is over or paused.
     */
    @Override
    public void send(UpstreamRequest request, java.util.function.Consumer<Runnable> cancellation, UpstreamListener listener) {
        UpstreamResponse response;
        try {
            response = exchange(request, cancellation);
        } catch (Failed e) {
            listener.onFailure(e.cause, e.deadlinePassed);
            return;
        }
        BlockingExchange.start(response, listener);
    }

    /** An exchange that failed before its head: what failed, and whether the request timeout ended it. */
    private static final class Failed extends Exception {
        final IOException cause;
        final boolean deadlinePassed;

        Failed(IOException cause, boolean deadlinePassed) {
            super(null, null, false, false);
            this.cause = cause;
            this.deadlinePassed = deadlinePassed;
        }
    }

    private UpstreamResponse exchange(UpstreamRequest request, java.util.function.Consumer<Runnable> cancellation) throws Failed {
        InProcessUpstream local = inProcess.get(request.uri().getScheme());
        if (local != null) {
            long start = System.nanoTime();
            InProcessUpstream.Answer answer = local.answer(request);
            UpstreamResponse response = new UpstreamResponse(answer.status(), answer.headers(), answer.body(), new AtomicBoolean());
            response.deadline(deadlines.after(remaining(request, start), response::deadlinePassedNow));
            return response;
        }
        HttpUriRequestBase exchange = request.body() == null ? new HttpGet(request.uri()) : new HttpPost(request.uri());
        if (request.body() != null) {
            // the client's own content type stays a header; the entity only frames the bytes
            exchange.setEntity(new ByteArrayEntity(request.body(), null));
        }
        request.headers().forEach((name, value) -> {
            if (!UpstreamRequest.TRANSPORT_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                exchange.addHeader(name, value);
            }
        });
        // No read timeout: the watchdog below bounds the exchange as a whole, and a socket with a read
        // timeout would poll before every read instead of blocking in it (see BLOCKING_SOCKETS).
        exchange.setConfig(NO_READ_TIMEOUT);
        long start = System.nanoTime();
        AtomicBoolean deadlinePassed = new AtomicBoolean();
        CoarseTimer.Timeout deadline = deadlines.after(remaining(request, start), () -> {
            deadlinePassed.set(true);
            exchange.cancel();
        });
        cancellation.accept(exchange::cancel);
        ClassicHttpResponse response;
        try {
            response = client(request.connectTimeout()).executeOpen(HttpHost.create(request.uri()), exchange, null);
        } catch (IOException | RuntimeException e) {
            deadline.cancel();
            throw new Failed(ioCause(e), deadlinePassed.get());
        }
        Headers headers = new Headers();
        for (Header header : response.getHeaders()) {
            headers.add(header.getName(), header.getValue());
        }
        // The request went out whole and the response's headers are copied: neither is read again, and a
        // stream keeps the exchange (to cancel it) and the response (to close it) for as long as it lasts.
        exchange.setEntity(null);
        exchange.setHeaders();
        response.setHeaders();
        HttpEntity entity = response.getEntity();
        InputStream content;
        try {
            content = entity == null ? InputStream.nullInputStream() : entity.getContent();
        } catch (IOException e) {
            deadline.cancel();
            exchange.cancel();
            throw new Failed(e, deadlinePassed.get());
        }
        UpstreamResponse upstream = new UpstreamResponse(response.getCode(), headers,
                new UpstreamBody(content, exchange, response), deadlinePassed);
        upstream.deadline(deadline);
        return upstream;
    }

    /**
     * The I/O failure behind what Apache threw, in the port's terms (its connect timeout becomes
     * {@link io.llmgw.core.upstream.ConnectTimeoutException}); a runtime exception with no I/O behind
     * it is a bug and goes on up.
     */
    private static IOException ioCause(Exception e) {
        if (e instanceof ConnectTimeoutException timeout) {
            return new io.llmgw.core.upstream.ConnectTimeoutException(timeout.getMessage());
        }
        if (e instanceof IOException io) {
            return io;
        }
        if (e.getCause() instanceof IOException io) {
            return io;
        }
        throw (RuntimeException) e;
    }

    private static long remaining(UpstreamRequest request, long start) {
        return Math.max(request.timeout().toNanos() - (System.nanoTime() - start), 0);
    }

    /**
     * Apache's minimal client: the exchange itself on a pooled connection, with none of the full
     * client's execution chain — redirects, retries, decompression, cookies, authentication and proxies
     * are all things the gateway turns off or never uses (it forwards what the upstream answers) —
     * so each call sets up less and waits in a shallower stack (a parked stream keeps the stack
     * chunk sized at its first park, inside this call; README › Memory per stream in flight).
     */
    private CloseableHttpClient client(Duration connectTimeout) {
        return clients.computeIfAbsent(connectTimeout, this::pool).client();
    }

    private Pool pool(Duration connectTimeout) {
        PoolingHttpClientConnectionManager connections = new BlockingSocketsPoolBuilder()
                .setTlsSocketStrategy(new DefaultClientTlsStrategy(tls == null ? defaultTls() : tls))
                // LAX: no global lock around the pool; no limit, as with java.net.http (every
                // request in flight holds its own connection; a stream is a request in flight)
                .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
                .setConnPoolPolicy(PoolReusePolicy.LIFO)
                .setConnectionFactory(ManagedHttpClientConnectionFactory.builder()
                        .http1Config(Http1Config.custom().setBufferSize(CONNECTION_BUFFER_BYTES).build())
                        .build())
                .setMaxConnPerRoute(Integer.MAX_VALUE)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(connectTimeout))
                        .setSocketTimeout(Timeout.DISABLED)
                        .setValidateAfterInactivity(VALIDATE_AFTER_IDLE)
                        .build())
                .build();
        IdleConnectionEvictor evictor = new IdleConnectionEvictor(connections, IDLE_EVICTION, IDLE_EVICTION);
        evictor.start();
        return new Pool(HttpClients.createMinimal(connections), evictor);
    }

    /** Apache's pool builder, with sockets from {@link #BLOCKING_SOCKETS}; the rest is its own. */
    private static final class BlockingSocketsPoolBuilder extends PoolingHttpClientConnectionManagerBuilder {
        @Override
        protected HttpClientConnectionOperator createConnectionOperator(SchemePortResolver ports, DnsResolver dns, TlsSocketStrategy tls) {
            return new DefaultHttpClientConnectionOperator(BLOCKING_SOCKETS, ports, dns,
                    RegistryBuilder.<TlsSocketStrategy>create().register(URIScheme.HTTPS.id, tls).build());
        }
    }

    /** The JVM's default TLS context (its trust store and protocols), as java.net.http used. */
    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context in this JVM", e);
        }
    }

    @Override
    public void close() {
        clients.values().forEach(pool -> {
            pool.evictor().shutdown();
            try {
                pool.client().close();
            } catch (IOException ignored) {
                // closing sockets: nothing to do about a failure
            }
        });
    }
}
