package io.llmgw.core.upstream;

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
 */
final class UpstreamBody extends InputStream {
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
