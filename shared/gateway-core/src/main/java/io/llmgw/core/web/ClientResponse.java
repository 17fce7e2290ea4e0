package io.llmgw.core.web;

import io.llmgw.core.auth.KeyScrubber;
import io.llmgw.core.error.ErrorFormat;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.Headers;
import io.llmgw.core.stream.StreamSink;
import io.llmgw.core.telemetry.RequestContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The response to one request, over a platform's {@link StreamSink}: adds the headers every
 * response carries (request id, gateway overhead, security, CORS), records status and timing,
 * and turns client write failures into {@link ClientGoneException}. Every header and byte it sends
 * passes the request's {@link KeyScrubber} first, so no key an upstream echoes reaches the client.
 */
public final class ClientResponse {
    private final StreamSink sink;
    private final RequestContext ctx;
    private final Headers common;
    private final KeyScrubber scrubber;
    /** Serialises the request thread's frames with keep-alive frames written from a timer. */
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean started;
    private volatile boolean finished;
    private volatile long lastWriteNanos = System.nanoTime();
    /** Writes wait for {@link #flushPending} (or the end) instead of each flushing itself; see {@link #holdFlushes}. */
    private boolean holdFlushes;
    /** Written and not flushed yet (with {@link #holdFlushes}). */
    private volatile boolean unflushed;
    /** What must happen once the request is over, in the order registered (run last first); null until there is one. */
    private List<Runnable> endSteps;
    private volatile boolean detached;
    /** Upstream exchanges whose transport has not said its last yet ({@link #exchangeStarted}). */
    private final AtomicInteger exchanges = new AtomicInteger();
    /** How a part of the request that arrives on another thread runs; null where nothing arrives so (tests, tools). */
    private Consumer<Runnable> resumer;

    public ClientResponse(StreamSink sink, RequestContext ctx, Headers common) {
        this(sink, ctx, common, KeyScrubber.NONE);
    }

    public ClientResponse(StreamSink sink, RequestContext ctx, Headers common, KeyScrubber scrubber) {
        this.sink = sink;
        this.ctx = ctx;
        this.common = common;
        this.scrubber = scrubber;
    }

    public boolean started() {
        return started;
    }

    public boolean finished() {
        return finished;
    }

    /**
     * Registers what must happen once the request is over — after its answer, before its log line —
     * however it ended: a filter's settling (a slot given back, tokens and spend counted with the real
     * usage) goes here, not after {@code proceed}, because a committed stream goes on after the
     * request's own thread has returned ({@link #resumed}). Steps run last registered first.
     */
    public void atEnd(Runnable step) {
        if (endSteps == null) {
            endSteps = new ArrayList<>(4);
        }
        endSteps.add(step);
    }

    /** Runs the end steps once; one that throws is handed to {@code failed} and does not stop the others. */
    public void runEndSteps(Consumer<RuntimeException> failed) {
        List<Runnable> steps = endSteps;
        endSteps = null;
        for (int i = steps == null ? -1 : steps.size() - 1; i >= 0; i--) {
            try {
                steps.get(i).run();
            } catch (RuntimeException e) {
                failed.accept(e);
            }
        }
    }

    /** Set by the gateway: how a part of the request that an upstream's answer brings on another thread runs ({@link #resumed}). */
    public void resumeWith(Consumer<Runnable> run) {
        resumer = run;
    }

    /**
     * Something the request waits for began — an upstream exchange, a back-off's timer, a body still
     * arriving — whose outcome may arrive on another thread than the request's own.
     */
    public void exchangeStarted() {
        exchanges.incrementAndGet();
    }

    /**
     * That wait is over: the exchange's transport has said its last (or its reader needs nothing more of
     * it), the timer fired, the body is in.
     */
    public void exchangeOver() {
        exchanges.decrementAndGet();
    }

    /** Whether an upstream exchange of this request is still going. */
    public boolean awaitsExchanges() {
        return exchanges.get() > 0;
    }

    /**
     * Runs a part of the request that arrived on another thread (an upstream's answer read on an event
     * loop) the way the request's own thread runs it: with its error handling, and ending the request
     * once its answer is over.
     */
    public void resumed(Runnable part) {
        Consumer<Runnable> run = resumer;
        if (run == null) {
            part.run();
        } else {
            run.accept(part);
        }
    }

    /**
     * The request's thread is about to return while an upstream exchange goes on: asks the platform to
     * keep the response open for the parts still to come ({@link StreamSink#detach}); false when it
     * cannot, and the thread must wait for them instead.
     */
    public boolean detachUntilAnswered() {
        if (!detached && sink.detach()) {
            detached = true;
        }
        return detached;
    }

    /** Whether the client takes more now ({@link StreamSink#ready}): a stream's relay pauses its upstream read while it does not. */
    public boolean ready() {
        return sink.ready();
    }

    /** Runs {@code then} once the client takes more again ({@link StreamSink#whenReady}). */
    public void whenReady(Runnable then) {
        sink.whenReady(then);
    }

    /** Whether the request's thread let go of the response while an exchange went on ({@link #detachUntilAnswered}). */
    public boolean detached() {
        return detached;
    }

    public void sendJson(int status, byte[] unscrubbed, Headers extra) {
        byte[] body = scrubber.scrub(unscrubbed);  // before the length is taken
        Headers headers = extra == null ? new Headers() : extra;
        headers.set("content-type", "application/json");
        headers.set("content-length", Integer.toString(body.length));
        headers.set("cache-control", "no-store");
        start(status, headers);
        writeScrubbed(body);
        complete();
    }

    /** A body that is not JSON (e.g. the Prometheus exposition). */
    public void sendBody(int status, String contentType, byte[] unscrubbed) {
        byte[] body = scrubber.scrub(unscrubbed);
        Headers headers = Headers.of("content-type", contentType, "content-length", Integer.toString(body.length), "cache-control", "no-store");
        start(status, headers);
        writeScrubbed(body);
        complete();
    }

    public void sendEmpty(int status, Headers extra) {
        Headers headers = extra == null ? new Headers() : extra;
        headers.set("content-length", "0");
        start(status, headers);
        complete();
    }

    /** An error before any stream started: real status, the dialect's JSON, retry hints kept. */
    public void sendError(ErrorFormat format, GatewayError error) {
        Headers headers = new Headers();
        error.upstreamHeaders().forEach(headers::add);
        if (error.retryAfter() != null) {
            long seconds = Math.max(1, (error.retryAfter().toMillis() + 999) / 1000);
            headers.set("retry-after", Long.toString(seconds));
        }
        ctx.errorKind(error.kind().name().toLowerCase(Locale.ROOT));
        sendJson(format.status(error), format.body(error), headers);
    }

    /** Commits a 200 event stream; from here on failures can only be reported in-stream. */
    public void startStream(Headers extra) {
        Headers headers = extra == null ? new Headers() : extra;
        headers.set("content-type", "text/event-stream; charset=utf-8");
        headers.set("cache-control", "no-cache");
        headers.set("x-accel-buffering", "no");
        // No flush of its own: the commit point is the first upstream event, whose frame follows at
        // once and goes out in the same write as the headers (one syscall fewer per stream).
        start(200, headers);
    }

    /** Writes one complete frame or body and flushes it (once {@link #holdFlushes} was called: before the next upstream read). */
    public void write(byte[] bytes) {
        writeScrubbed(scrubber.scrub(bytes));
    }

    private void writeScrubbed(byte[] clean) {
        lock.lock();
        try {
            sink.write(clean, 0, clean.length);
            if (holdFlushes) {
                unflushed = true;
            } else {
                sink.flush();
                ctx.firstByteSent();
            }
            lastWriteNanos = System.nanoTime();
        } catch (IOException e) {
            throw new ClientGoneException(e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * From now on a write is flushed by {@link #flushPending} (or at the end), not at once. A relay
     * calls it before each read of the upstream's body: the frames made of what one read brought
     * go out in one write instead of one each — a stream's last events and its {@code [DONE]}
     * usually come together — and no frame waits for the upstream's next bytes. Only for a caller
     * whose every wait is such a read.
     */
    public void holdFlushes() {
        lock.lock();
        try {
            holdFlushes = true;
        } finally {
            lock.unlock();
        }
    }

    /** Whether something written is waiting for {@link #flushPending}. */
    public boolean holdsUnflushed() {
        return unflushed;
    }

    /** Flushes what was written since the last flush, if anything. */
    public void flushPending() {
        if (!unflushed) {
            return;
        }
        lock.lock();
        try {
            if (unflushed && !finished) {
                sink.flush();
                ctx.firstByteSent();
            }
            unflushed = false;
        } catch (IOException e) {
            throw new ClientGoneException(e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes {@code frame} if the stream is open and nothing was written for {@code idleNanos};
     * called from a timer while the request thread waits on a slow upstream.
     */
    public void keepAlive(byte[] frame, long idleNanos) {
        if (!started || finished || System.nanoTime() - lastWriteNanos < idleNanos || !lock.tryLock()) {
            return;
        }
        try {
            if (!finished) {
                sink.write(frame, 0, frame.length);
                sink.flush();
                unflushed = false;
                lastWriteNanos = System.nanoTime();
            }
        } catch (IOException e) {
            // the request thread sees the broken connection on its next write
        } finally {
            lock.unlock();
        }
    }

    public void complete() {
        lock.lock();
        try {
            if (finished) {
                return;
            }
            finished = true;
            endHeld();
            sink.complete();
        } catch (IOException e) {
            throw new ClientGoneException(e);
        } finally {
            lock.unlock();
        }
    }

    public void fail(Throwable error) {
        lock.lock();
        try {
            if (!finished) {
                finished = true;
                endHeld();
                sink.fail(error);
            }
        } finally {
            lock.unlock();
        }
    }

    private void start(int status, Headers headers) {
        if (started) {
            throw new IllegalStateException("response already started");
        }
        started = true;
        ctx.status(status);
        ctx.responseHeaders().forEach((name, value) -> {
            if (!headers.contains(name)) {
                headers.add(name, value);
            }
        });
        common.forEach((name, value) -> {
            if (!headers.contains(name)) {
                headers.add(name, value);
            }
        });
        headers.set("x-request-id", ctx.requestId());
        headers.set("x-gateway-overhead-ms", threeDecimals(ctx.overheadMillis()));
        try {
            sink.start(status, scrubber.scrub(headers));
        } catch (IOException e) {
            throw new ClientGoneException(e);
        }
    }

    /** The response ends now: the platform's end of it writes what is held, in the same write as the end. */
    private void endHeld() {
        if (unflushed) {
            unflushed = false;
            ctx.firstByteSent();
        }
    }

    /** A non-negative number of milliseconds as {@code %.3f} writes it, without a formatter per response. */
    static String threeDecimals(double millis) {
        long thousandths = Math.round(millis * 1000);
        long fraction = thousandths % 1000;
        return thousandths / 1000 + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }
}
