package io.llmgw.app;

import io.llmgw.core.http.CoarseTimer;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;

/**
 * Jetty's {@link ConnectionWatch}. Jetty does not read an HTTP/1.1 connection while a servlet
 * prepares its response, and the servlet API has no way to ask whether the client is still there;
 * so, between the end of the request body and the first byte of the answer, this tries a
 * non-blocking read on the connection every {@link #PERIOD_MILLIS} ms. A silent, open connection
 * has nothing to read; a closed one does (its end of stream). A client that pipelined its next
 * request while waiting would look the same — clients do not do that (pipelining is disabled in
 * browsers and in the SDKs' HTTP stacks).
 */
final class JettyConnectionWatch implements ConnectionWatch {
    static final long PERIOD_MILLIS = 250;

    private final Request request;
    private final EndPoint endPoint;
    private CoarseTimer.Timeout probe;
    private boolean stopped;

    private JettyConnectionWatch(Request request) {
        this.request = request;
        this.endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
    }

    /**
     * The watch for this request; {@link ConnectionWatch#NONE} when it did not come through a Jetty
     * connector. The app serves HTTP/1.1 only (no HTTP/2 module): the connection is this request's.
     */
    static ConnectionWatch of(HttpServletRequest request) {
        ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(request);
        if (jetty == null || jetty.getConnectionMetaData().getConnection() == null) {
            return NONE;
        }
        return new JettyConnectionWatch(jetty);
    }

    @Override
    public synchronized void start(Runnable onGone) {
        if (stopped || probe != null) {
            return;
        }
        long period = TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS);
        probe = CoarseTimer.shared().every(period, period, () -> {
            synchronized (this) {
                if (stopped || !clientLeft()) {
                    return;
                }
                stop();
            }
            onGone.run();
        });
    }

    private boolean clientLeft() {
        if (!endPoint.isOpen()) {
            return true;
        }
        try {
            return endPoint.fill(BufferUtil.allocate(1)) != 0;  // non-blocking: end of stream (-1), or bytes nobody asked for
        } catch (IOException e) {
            return true;  // reset
        }
    }

    @Override
    public void drain(long maxBytes, long maxMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        long total = 0;
        try {
            while (total <= maxBytes) {
                // Jetty's own read never waits: a piece of the body, its end, or nothing yet (the servlet
                // stream cannot tell "nothing yet" from "ended" without a read that may block)
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    if (System.nanoTime() > deadline) {
                        break;
                    }
                    Thread.sleep(10);
                    continue;
                }
                total += chunk.remaining();
                chunk.release();
                if (chunk.isLast() || Content.Chunk.isFailure(chunk)) {
                    return;  // all of it arrived, or the client went away
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // The answer is out: close rather than wait for the rest. Left to itself Jetty would keep the
        // connection until its idle timeout, reading whatever the client goes on sending.
        endPoint.close();
    }

    @Override
    public boolean finishesAsync() {
        return true;
    }

    @Override
    public synchronized void stop() {
        stopped = true;
        if (probe != null) {
            probe.cancel();
        }
    }
}
