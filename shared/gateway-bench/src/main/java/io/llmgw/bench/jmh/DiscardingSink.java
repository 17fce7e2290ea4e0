package io.llmgw.bench.jmh;

import io.llmgw.core.http.Headers;
import io.llmgw.core.stream.StreamSink;

/** A client connection that takes every byte and keeps none, so a benchmark measures the gateway's side only. */
class DiscardingSink implements StreamSink {
    static final DiscardingSink INSTANCE = new DiscardingSink();

    DiscardingSink() {}

    @Override
    public void start(int status, Headers headers) {}

    @Override
    public void write(byte[] bytes, int offset, int length) {}

    @Override
    public void flush() {}

    @Override
    public void complete() {}

    @Override
    public void fail(Throwable error) {}
}
