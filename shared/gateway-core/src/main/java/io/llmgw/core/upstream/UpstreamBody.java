package io.llmgw.core.upstream;

import io.llmgw.core.http.CoarseTimer;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.ClassicHttpResponse;

/**
 * An upstream response body on the pooled connection. Apache's own body stream, closed before its
 * end, reads the rest to keep the connection — for an endless or slow stream that would block the
 * close for as long as the upstream keeps talking. Here a close before the end aborts the exchange
 * (the socket is closed at once, also waking a read blocked in another thread, which is how the
 * deadline cuts a body off); a body read to its end hands the connection back to the pool.
 * {@link #readToEnd} is the bounded middle way for a body whose content is over but whose framing
 * is not (a stream's end marker read, the chunked body's last chunk not yet).
 */
final class UpstreamBody extends InputStream {
    private static final int DISCARD_BUFFER_BYTES = 512;
    private final InputStream content;
    private final HttpUriRequestBase exchange;
    private final ClassicHttpResponse response;
    private volatile boolean ended;
    private volatile boolean closed;

    UpstreamBody(InputStream content, HttpUriRequestBase exchange, ClassicHttpResponse response) {
        this.content = content;
        this.exchange = exchange;
        this.response = response;
    }

    @Override
    public int read() throws IOException {
        int b = content.read();
        if (b < 0) {
            ended = true;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = content.read(buffer, offset, length);
        if (n < 0) {
            ended = true;
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return content.available();
    }

    /**
     * Reads on to the end of the body, discarding at most {@code maxBytes}, for at most
     * {@code maxNanos} (then the exchange is cancelled, which ends a read blocked on it). Returns
     * whether the end was reached; if not, {@link #close} drops the connection as before.
     */
    boolean readToEnd(int maxBytes, long maxNanos) {
        if (ended || closed) {
            return ended;
        }
        CoarseTimer.Timeout bound = CoarseTimer.shared().after(maxNanos, exchange::cancel);
        byte[] discard = new byte[Math.min(maxBytes, DISCARD_BUFFER_BYTES)];
        try {
            for (int left = maxBytes; left > 0; ) {
                int n = content.read(discard, 0, Math.min(discard.length, left));
                if (n < 0) {
                    ended = true;
                    break;
                }
                left -= n;
            }
        } catch (IOException e) {
            // cut off by the bound, or the connection failed: not at its end, so close drops it
        } finally {
            bound.cancel();
        }
        return ended;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!ended) {
            // discards the connection (closed at once) and releases its pool lease; the response is done with
            exchange.cancel();
            return;
        }
        try {
            response.close();
        } catch (IOException ignored) {
            // the body was read to its end and the connection already went back to the pool
        }
    }
}
