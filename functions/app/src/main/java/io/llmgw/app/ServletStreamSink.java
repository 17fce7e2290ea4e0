package io.llmgw.app;

import io.llmgw.core.http.Headers;
import io.llmgw.core.stream.StreamSink;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Servlet output: each {@link #flush()} pushes the bytes written so far to the client. A committed
 * stream may go on after the servlet returned ({@link #detach}): the response is then in async mode,
 * written with blocking writes from the stream's own thread, and completed when the gateway ends it.
 */
final class ServletStreamSink implements StreamSink {
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final ConnectionWatch watch;
    private ServletOutputStream out;
    private volatile Runnable onDisconnect;
    private volatile boolean bodyRead;
    private volatile AsyncContext async;
    private volatile boolean detached;

    ServletStreamSink(HttpServletRequest request, HttpServletResponse response, ConnectionWatch watch) {
        this.request = request;
        this.response = response;
        this.watch = watch;
    }

    /** The request body has been read: from now until the answer starts, a closed connection means the client left. */
    void bodyRead() {
        bodyRead = true;
        watchIfReady();
    }

    @Override
    public void onDisconnect(Runnable action) {
        onDisconnect = action;
        watchIfReady();
    }

    private void watchIfReady() {
        Runnable action = onDisconnect;
        if (bodyRead && action != null) {
            watch.start(action);
        }
    }

    /** The request is over: no probe may touch it any more. */
    void done() {
        watch.stop();
    }

    @Override
    public void start(int status, Headers headers) throws IOException {
        watch.stop();  // from here on, writes tell whether the client is still there
        response.setStatus(status);
        headers.forEach((name, value) -> {
            if (name.equals("content-length")) {
                response.setContentLengthLong(Long.parseLong(value));
            } else if (name.equals("content-type")) {
                response.setContentType(value);
            } else {
                response.addHeader(name, value);
            }
        });
        out = response.getOutputStream();
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /**
     * Async mode with no timeout of its own (the gateway's deadlines and the client's connection bound a
     * stream), where the container finishes such a response (Jetty; not the Lambda container).
     */
    @Override
    public boolean detach() {
        if (!watch.finishesAsync() || !request.isAsyncSupported()) {
            return false;
        }
        AsyncContext context = request.startAsync();
        context.setTimeout(0);
        async = context;
        detached = true;
        return true;
    }

    /** Whether a stream goes on after the servlet returns: its request body was read to the end, nothing is left to drain. */
    boolean detached() {
        return detached;
    }

    @Override
    public void complete() throws IOException {
        try {
            if (async == null) {
                // On the request's thread, closed rather than only flushed: the response ends now (a chunked
                // body's last chunk goes out), not when the servlet returns after the gateway is done with the
                // upstream's connection. An async response ends with its context, below: closed here first,
                // Jetty ran the connection's next request on its I/O thread.
                out.close();
            } else {
                out.flush();
            }
        } finally {
            endAsync();
        }
    }

    @Override
    public void fail(Throwable error) {
        // HTTP/1.1 has no way to mark a chunked body as failed other than dropping the
        // connection; the in-stream error event already told the client, so end normally.
        endAsync();
    }

    private void endAsync() {
        AsyncContext context = async;
        if (context != null) {
            async = null;
            context.complete();
        }
    }
}
