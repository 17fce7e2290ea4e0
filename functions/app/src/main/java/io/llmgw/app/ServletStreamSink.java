package io.llmgw.app;

import io.llmgw.core.http.Headers;
import io.llmgw.core.stream.StreamSink;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Servlet output: each {@link #flush()} pushes the bytes written so far to the client. */
final class ServletStreamSink implements StreamSink {
    private final HttpServletResponse response;
    private ServletOutputStream out;

    ServletStreamSink(HttpServletResponse response) {
        this.response = response;
    }

    @Override
    public void start(int status, Headers headers) throws IOException {
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
