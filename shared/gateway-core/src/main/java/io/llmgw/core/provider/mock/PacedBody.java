package io.llmgw.core.provider.mock;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A response body handed out in steps, each after its delay, as a model's tokens arrive over a
 * socket: a read returns what the current step has left, or waits for the next one. Closing it
 * (the request timeout, a client gone, the caller done) ends a waiting read with an IOException,
 * as closing a network body does.
 */
final class PacedBody extends InputStream {
    /** Bytes that become readable {@code delayNanos} after the previous step's. */
    record Step(long delayNanos, byte[] bytes) {}

    private final Iterator<Step> steps;
    private final CountDownLatch closed = new CountDownLatch(1);
    private byte[] current = new byte[0];
    private int position;

    PacedBody(List<Step> steps) {
        this.steps = steps.iterator();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (position >= current.length) {
            ensureOpen();
            if (!steps.hasNext()) {
                return -1;
            }
            Step next = steps.next();
            if (next.delayNanos() > 0 && waitClosed(next.delayNanos())) {
                ensureOpen();
            }
            current = next.bytes();
            position = 0;
        }
        ensureOpen();
        int n = Math.min(length, current.length - position);
        System.arraycopy(current, position, buffer, offset, n);
        position += n;
        return n;
    }

    @Override
    public void close() {
        closed.countDown();
    }

    private boolean waitClosed(long nanos) throws InterruptedIOException {
        try {
            return closed.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the mock was pacing its answer");
        }
    }

    private void ensureOpen() throws IOException {
        if (closed.getCount() == 0) {
            throw new IOException("the mock's answer was closed");
        }
    }
}
