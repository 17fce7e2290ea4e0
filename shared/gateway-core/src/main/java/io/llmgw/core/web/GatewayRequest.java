package io.llmgw.core.web;

import io.llmgw.core.Gateway;

import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.BodyReads;
import io.llmgw.core.http.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP request as a platform adapter hands it to {@link Gateway#handle}. The body is not read
 * when the request is built: {@link Gateway} reads it only after the caller has authenticated and
 * passed the concurrency cap, so an anonymous caller cannot make the gateway hold request bodies.
 */
public final class GatewayRequest {
    /** Largest request body the gateway accepts; larger bodies are answered with 413. */
    public static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

    /** Where the body comes from; read at most once. */
    @FunctionalInterface
    public interface BodySource {
        /**
         * The whole body, or null as soon as it is known to exceed {@code limit} bytes. May throw a
         * {@link io.llmgw.core.error.GatewayException} for a body the platform could not decode.
         */
        byte[] read(int limit) throws IOException;

        /**
         * Asks to be told once {@link #read} will no longer wait — the body is whole, over the bound, or
         * cannot be had — so the thread serving the request need not wait for it: {@code then} runs then,
         * on a thread of the source's choosing. False when the source cannot tell, or {@link #read} would
         * not wait now; {@code then} is not run and the caller reads at once.
         */
        default boolean whenReadable(Runnable then) {
            return false;
        }
    }

    private static final BodySource EMPTY = limit -> new byte[0];
    private static final BodySource TOO_LARGE = limit -> null;
    /** The body once {@link #releaseBody()} let go of it. */
    private static final byte[] RELEASED = new byte[0];

    private final String method;
    private final String path;
    private final String rawQuery;
    private Headers headers;
    private final String clientAddress;
    private final String platformRequestId;
    private final Instant deadline;
    private BodySource source;
    private byte[] body;

    /**
     * @param body          the whole request body; empty when there is none; null when it is already
     *                      known to exceed {@link #MAX_BODY_BYTES}
     * @param clientAddress the caller's IP address as the platform reports it, or null
     * @param platformRequestId the platform's own id for this invocation (e.g. Lambda's), or null
     * @param deadline      when the platform will cut the invocation off (Lambda's deadline), or null;
     *                      upstream calls never outlive it
     */
    public GatewayRequest(String method, String path, String rawQuery, Headers headers, byte[] body, String clientAddress,
                          String platformRequestId, Instant deadline) {
        this(method, path, rawQuery, headers, body == null ? TOO_LARGE : limit -> body, clientAddress, platformRequestId, deadline);
    }

    public GatewayRequest(String method, String path, String rawQuery, Headers headers, byte[] body, String clientAddress,
                          String platformRequestId) {
        this(method, path, rawQuery, headers, body, clientAddress, platformRequestId, null);
    }

    /** A request whose body is read from {@code source} only when the gateway needs it. */
    public GatewayRequest(String method, String path, String rawQuery, Headers headers, BodySource source, String clientAddress,
                          String platformRequestId, Instant deadline) {
        this.method = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
        this.path = path == null || path.isEmpty() ? "/" : path;
        this.rawQuery = rawQuery;
        this.headers = headers == null ? new Headers() : headers;
        this.source = source == null ? EMPTY : source;
        this.clientAddress = clientAddress;
        this.platformRequestId = platformRequestId;
        this.deadline = deadline;
    }

    public String method() {
        return method;
    }

    /** The path as the client sent it (still percent-encoded). */
    public String path() {
        return path;
    }

    public String rawQuery() {
        return rawQuery;
    }

    public Headers headers() {
        if (headers == null) {
            throw new IllegalStateException("the request headers were let go when its stream was committed");
        }
        return headers;
    }

    public String clientAddress() {
        return clientAddress;
    }

    public String platformRequestId() {
        return platformRequestId;
    }

    public Instant deadline() {
        return deadline;
    }

    /**
     * The body, read on first use: a 413 when it exceeds {@link #MAX_BODY_BYTES}, a 408 when the
     * client stopped sending, {@link ClientGoneException} when it went away.
     */
    public byte[] body() {
        if (body == RELEASED) {
            throw new IllegalStateException("the request body was let go once its stream no longer needed it");
        }
        if (body == null) {
            BodySource from = source;
            source = TOO_LARGE;
            byte[] read;
            try {
                read = from.read(MAX_BODY_BYTES);
            } catch (IOException e) {
                // a socket's read timeout, or a servlet container's idle timeout (Jetty: an IOException caused by a TimeoutException)
                if (e instanceof SocketTimeoutException || e.getCause() instanceof TimeoutException) {
                    throw GatewayError.of(ErrorKind.TIMEOUT, "The request body did not arrive in time.", "request_timeout")
                            .withStatus(408).exception();
                }
                throw new ClientGoneException(e);
            }
            if (read == null) {
                throw GatewayError.of(ErrorKind.REQUEST_TOO_LARGE, "The request body exceeds the limit of "
                        + MAX_BODY_BYTES / (1024 * 1024) + " MB.").exception();
            }
            body = read;
        }
        return body;
    }

    /**
     * Runs {@code then} once {@link #body()} will not wait, when the platform can say so (an event loop
     * serving the request, which must never wait for a socket); false when {@link #body()} should be
     * called now — the body is here, or the platform's read simply waits.
     */
    public boolean whenBodyReadable(Runnable then) {
        return body == null && source.whenReadable(then);
    }

    /**
     * Lets go of the body once nothing will read it again: when a translated stream starts (its
     * upstream request is built from the decoded request) or a passed-through stream is committed
     * (no attempt sends it again). A stream keeps this object for its whole life — with a coding
     * agent's request, 40 KB and more each (README › Memory per stream in flight). Reading the body
     * afterwards is a bug, and fails loudly.
     */
    public void releaseBody() {
        source = TOO_LARGE;
        body = RELEASED;
    }

    /**
     * Lets go of the body and the headers once a stream is committed: every header that matters was
     * read when the request started (authentication, limits, the cache, what is forwarded upstream),
     * and a coding agent sends a kilobyte or more of them. Reading either afterwards fails loudly.
     */
    public void release() {
        releaseBody();
        headers = null;
    }

    /**
     * A body read from a stream ({@link BodyReads}): nothing is allocated from the declared length
     * beyond a small first buffer, and reading stops as soon as the body exceeds {@code limit}.
     *
     * @param declaredLength Content-Length, or -1 when the body is chunked
     */
    public static BodySource streamed(InputStream in, long declaredLength) {
        return limit -> BodyReads.readAll(in, declaredLength, limit);
    }
}
