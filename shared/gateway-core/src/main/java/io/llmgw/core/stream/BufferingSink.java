package io.llmgw.core.stream;

import io.llmgw.core.http.Headers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Collects the whole response in memory, for platforms that cannot stream (API Gateway's
 * buffered mode, the Azure Functions Java worker) and for tests. A stream still arrives as a
 * complete, valid SSE body, just all at once.
 */
public final class BufferingSink implements StreamSink {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private int status;
    private Headers headers = new Headers();
    private boolean completed;
    private Throwable failure;

    @Override
    public void start(int status, Headers headers) {
        this.status = status;
        this.headers = headers;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        body.write(bytes, offset, length);
    }

    @Override
    public void flush() {}

    @Override
    public void complete() {
        completed = true;
    }

    @Override
    public void fail(Throwable error) {
        failure = error;
    }

    public int status() {
        return status;
    }

    public Headers headers() {
        return headers;
    }

    public byte[] body() {
        return body.toByteArray();
    }

    public String bodyText() {
        return body.toString(StandardCharsets.UTF_8);
    }

    public boolean completed() {
        return completed;
    }

    public Throwable failure() {
        return failure;
    }
}
