package io.llmgw.core.stream;

import io.llmgw.core.http.Headers;
import java.util.concurrent.CountDownLatch;

/** A platform in async mode (a servlet's): it agrees to detach, and says when and on which thread the response ended. */
public final class DetachingSink implements StreamSink {
    private final BufferingSink buffer = new BufferingSink();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean detached;
    private volatile Thread completedOn;

    @Override
    public boolean detach() {
        detached = true;
        return true;
    }

    @Override
    public void start(int status, Headers headers) {
        buffer.start(status, headers);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        buffer.write(bytes, offset, length);
    }

    @Override
    public void flush() {}

    @Override
    public void complete() {
        buffer.complete();
        completedOn = Thread.currentThread();
        ended.countDown();
    }

    @Override
    public void fail(Throwable error) {
        buffer.fail(error);
        ended.countDown();
    }

    public boolean detached() {
        return detached;
    }

    public boolean completed() {
        return buffer.completed();
    }

    public Thread completedOn() {
        return completedOn;
    }

    /** Counted down when the response completed or failed. */
    public CountDownLatch ended() {
        return ended;
    }

    public int status() {
        return buffer.status();
    }

    public synchronized String bodyText() {
        return buffer.bodyText();
    }
}
