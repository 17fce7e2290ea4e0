package io.llmgw.core.upstream;

import io.llmgw.core.http.BodyReads;
import io.llmgw.core.http.CoarseTimer;
import io.llmgw.core.http.Headers;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An upstream's answer with its body still unread. Closing it releases the connection (or aborts
 * the exchange if the body was not read to the end) and cancels the deadline.
 */
public final class UpstreamResponse implements AutoCloseable {
    /** The most read after a stream's end marker to keep its connection: more means the upstream went on. */
    static final int END_MAX_BYTES = 8 * 1024;
    /** How long the end of the body may take after a stream's end marker (the timer's tick makes it up to 20 ms more). */
    static final Duration END_WAIT = Duration.ofMillis(50);
    private final int status;
    private Headers headers;
    private final InputStream body;
    /** Content-Length as the upstream declared it, or -1. */
    private final long declaredLength;
    private final AtomicBoolean deadlinePassed;
    private volatile CoarseTimer.Timeout deadline;

    UpstreamResponse(int status, Headers headers, InputStream body, AtomicBoolean deadlinePassed) {
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.declaredLength = declaredLength(headers);
        this.deadlinePassed = deadlinePassed;
    }

    /** The Content-Length {@code headers} declare for the body, or -1 when they declare none (or frame it in chunks). */
    public static long declaredLength(Headers headers) {
        String value = headers.first("content-length");
        if (value == null || headers.first("transfer-encoding") != null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Content-Length as the upstream declared it, or -1 (a chunked body, a stream). */
    long declaredLength() {
        return declaredLength;
    }

    void deadline(CoarseTimer.Timeout future) {
        this.deadline = future;
    }

    public int status() {
        return status;
    }

    public Headers headers() {
        if (headers == null) {
            throw new IllegalStateException("the upstream's headers were let go once its answer's reader had them");
        }
        return headers;
    }

    /**
     * Lets go of the headers once nothing reads them: once the listener has had them
     * ({@link BlockingExchange}), while a stream and this response last minutes — a real
     * upstream sends a kilobyte or two of them (rate-limit, tracing, processing-time headers).
     */
    public void releaseHeaders() {
        headers = null;
    }

    public InputStream body() {
        return body;
    }

    /** The request timeout passed: marks it, and cuts the body off. */
    void deadlinePassedNow() {
        deadlinePassed.set(true);
        close();
    }

    /** True when the request timeout passed and the body was cut off because of it. */
    public boolean deadlinePassed() {
        return deadlinePassed.get();
    }

    /** Reads the whole body, failing once it exceeds {@code limit} bytes. */
    public byte[] readBody(int limit) throws IOException {
        byte[] bytes = BodyReads.readAll(body, declaredLength, limit);
        if (bytes == null) {
            throw new IOException("upstream response body exceeds " + limit + " bytes");
        }
        return bytes;
    }

    /**
     * Closes the answer once the gateway has all it wants of it (a stream's end marker), keeping
     * the connection when all that is left is the end of the body's framing: upstreams end their
     * chunked body right after the marker, so this reads on for at most {@link #END_MAX_BYTES} and
     * {@link #END_WAIT} and otherwise drops the connection as {@link #close} does. Closed at the
     * marker instead, every stream cost the upstream a new connection and, over TLS, a handshake.
     */
    public void closeAtEnd() {
        if (body instanceof UpstreamBody upstream) {
            upstream.readToEnd(END_MAX_BYTES, END_WAIT.toNanos());
        }
        close();
    }

    @Override
    public void close() {
        CoarseTimer.Timeout future = deadline;
        if (future != null) {
            future.cancel();
        }
        try {
            body.close();
        } catch (IOException ignored) {
            // the exchange is over either way
        }
    }
}
