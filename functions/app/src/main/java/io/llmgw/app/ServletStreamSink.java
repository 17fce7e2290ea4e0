package io.llmgw.app;

import io.llmgw.core.http.Headers;
import io.llmgw.core.stream.StreamSink;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Servlet output, for the AWS Lambda HTTP API package: each {@link #flush()} pushes the bytes written
 * so far. The container there sends the response when the servlet returns, so a stream stays on the
 * request's thread ({@link StreamSink#detach} says no) and arrives as one body (API Gateway's HTTP APIs
 * cannot stream a Lambda response).
 */
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

    /** Closed rather than only flushed: the response ends now, not when the servlet returns. */
    @Override
    public void complete() throws IOException {
        out.close();
    }

    /**
     * HTTP/1.1 has no way to mark a body as failed other than dropping the connection, which the
     * container owns; the in-stream error event already told the client, so the body ends as it is.
     */
    @Override
    public void fail(Throwable error) {
        // nothing to release: the container ends the response when the servlet returns
    }
}
