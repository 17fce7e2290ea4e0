package io.llmgw.app;

import io.llmgw.core.http.CoarseTimer;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's {@link ConnectionWatch}. Tomcat does not watch an HTTP/1.1 connection while a servlet
 * prepares its response, and the servlet API has no way to ask; so, between the end of the request
 * body and the first byte of the answer, this asks Tomcat's connector for a non-blocking read every
 * {@link #PERIOD_MILLIS} ms. A silent, open connection has nothing to read; a closed one does (its
 * end of stream). A client that pipelined its next request while waiting would look the same —
 * clients do not do that (pipelining is disabled in browsers and in the SDKs' HTTP stacks).
 */
final class TomcatConnectionWatch implements ConnectionWatch {
    static final long PERIOD_MILLIS = 250;
    static final long GRACE_MILLIS = 2_000;
    static final long GRACE_BYTES = 1024 * 1024;
    private static final String COYOTE_REQUEST = TomcatConnectionWatch.class.getName() + ".coyote";

    /** Hands the servlet Tomcat's own request object, which the servlet API does not expose. */
    static final class Valve extends ValveBase {
        Valve() {
            super(true);
        }

        @Override
        public void invoke(Request request, Response response) throws IOException, jakarta.servlet.ServletException {
            if (request.getContext() != null) {  // none when Tomcat could not map the request; it answers that itself
                request.setAttribute(COYOTE_REQUEST, request.getCoyoteRequest());  // cleared when Tomcat recycles the request
            }
            getNext().invoke(request, response);
        }
    }

    private final org.apache.coyote.Request coyote;
    private CoarseTimer.Timeout probe;
    private boolean stopped;

    private TomcatConnectionWatch(org.apache.coyote.Request coyote) {
        this.coyote = coyote;
    }

    /** The watch for this request; {@link ConnectionWatch#NONE} when the valve did not see it. */
    static ConnectionWatch of(HttpServletRequest request) {
        return request.getAttribute(COYOTE_REQUEST) instanceof org.apache.coyote.Request r ? new TomcatConnectionWatch(r) : NONE;
    }

    @Override
    public synchronized void start(Runnable onGone) {
        if (stopped || probe != null) {
            return;
        }
        long period = TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS);
        probe = CoarseTimer.shared().every(period, period, () -> {
            synchronized (this) {
                if (stopped) {
                    return;
                }
                coyote.action(ActionCode.AVAILABLE, Boolean.TRUE);  // a non-blocking read on the socket
                if (coyote.getAvailable() <= 0) {
                    return;
                }
                stop();
            }
            onGone.run();
        });
    }

    /**
     * Reads and discards what the client sends within {@link #GRACE_MILLIS} (at most
     * {@link #GRACE_BYTES}), so a client that writes its whole body before reading still gets the
     * answer; then, if the body is still not over, closes the connection instead of waiting for the
     * rest. A caller who never authenticated cannot hold a connection, and the memory Tomcat keeps
     * for it, for long.
     */
    @Override
    public void drainBriefly(ServletInputStream in) {
        long deadline = System.nanoTime() + GRACE_MILLIS * 1_000_000;
        byte[] buffer = new byte[8192];
        long total = 0;
        try {
            while (total <= GRACE_BYTES && !in.isFinished()) {
                coyote.action(ActionCode.AVAILABLE, Boolean.TRUE);  // non-blocking: never waits for a slow sender
                if (coyote.getAvailable() > 0) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        return;
                    }
                    total += n;
                } else if (System.nanoTime() > deadline) {
                    break;
                } else {
                    Thread.sleep(10);
                }
            }
            if (in.isFinished()) {
                return;
            }
        } catch (IOException e) {
            return;  // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        coyote.action(ActionCode.DISABLE_SWALLOW_INPUT, null);  // the answer is out: close rather than wait for the rest
    }

    @Override
    public synchronized void stop() {
        stopped = true;
        if (probe != null) {
            probe.cancel();
        }
    }
}
