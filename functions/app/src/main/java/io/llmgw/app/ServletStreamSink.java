package io.llmgw.app;

import io.llmgw.core.http.Headers;
import io.llmgw.core.stream.StreamSink;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Servlet output: each {@link #flush()} pushes the bytes written so far to the client. */
final class ServletStreamSink implements StreamSink {
    private final HttpServletResponse response;
    private final ConnectionWatch watch;
    private ServletOutputStream out;
    private volatile Runnable onDisconnect;
    private volatile boolean bodyRead;

    ServletStreamSink(HttpServletResponse response, ConnectionWatch watch) {
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

    @Override
    public void complete() throws IOException {
        out.flush();
    }

    @Override
    public void fail(Throwable error) {
        // HTTP/1.1 has no way to mark a chunked body as failed other than dropping the
        // connection; the in-stream error event already told the client, so end normally.
    }
}
