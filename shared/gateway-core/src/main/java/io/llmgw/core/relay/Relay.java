package io.llmgw.core.relay;

import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.error.GatewayException;
import io.llmgw.core.http.CoarseTimer;
import io.llmgw.core.upstream.UpstreamClient;
import io.llmgw.core.upstream.UpstreamRequest;
import io.llmgw.core.upstream.UpstreamResponse;
import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.stream.FrameReader;
import io.llmgw.core.stream.SseReader;
import io.llmgw.core.spi.Progress;
import io.llmgw.core.spi.UpstreamCall;
import io.llmgw.core.stream.SseTooLargeException;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.web.ClientResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

/**
 * Runs one upstream call and relays its answer. For streams the commit point is the first
 * upstream event: until it arrives every failure is a plain HTTP error (and, later, a reason to
 * fail over); after it, failures become in-stream error events. The upstream is read on the
 * caller's thread and each frame is written before the next event is read, so a slow client
 * slows the upstream read instead of filling a queue.
 */
public final class Relay {
    /** Largest non-streamed upstream response body (and error body) the gateway reads. */
    public static final int MAX_UPSTREAM_BODY_BYTES = 32 * 1024 * 1024;
    private static final int MAX_ERROR_BODY_BYTES = 1024 * 1024;

    /**
     * A stream still going after this is relayed on a thread of its own where the platform allows
     * ({@link OpenStream#commit}): long enough that a short answer (a small completion, a cached or
     * mocked one) never pays for the hand-off — about 0.1 ms of CPU and a thread hand-off on the
     * way to the client —, short enough that nearly every stream a person or an agent waits for is
     * handed off within its first events (README › Memory per stream in flight).
     */
    public static final Duration HAND_OFF_AFTER = Duration.ofMillis(250);

    /** A stream silent for this long gets the client dialect's keep-alive frame. */
    public static final Duration KEEP_ALIVE_AFTER = Duration.ofSeconds(10);

    private final UpstreamClient client;
    private final long keepAliveNanos;

    public Relay(UpstreamClient client) {
        this(client, KEEP_ALIVE_AFTER);
    }

    public Relay(UpstreamClient client, Duration keepAliveAfter) {
        this.client = client;
        this.keepAliveNanos = keepAliveAfter.toNanos();
    }

    /** A complete non-streamed upstream body; upstream errors are thrown as {@link GatewayException}. */
    public byte[] call(UpstreamRequest request, UpstreamCall call, boolean gatewayKey, RequestContext ctx) {
        ctx.upstreamSent();
        try (UpstreamResponse response = client.send(withinDeadline(request, ctx), ctx::upstreamCancel)) {
            if (response.status() >= 300) {
                throw errorResponse(response, call, gatewayKey, ctx);
            }
            try {
                byte[] body = response.readBody(MAX_UPSTREAM_BODY_BYTES);
                ctx.upstreamAnswered();
                return body;
            } catch (IOException e) {
                throw readFailure(response, e).exception();
            }
        } finally {
            ctx.upstreamAnswered();
        }
    }

    /**
     * An upstream stream whose first event has arrived and been accepted, not yet committed to
     * the client. Either {@link #commit} it or close it (to fail over elsewhere).
     */
    public final class OpenStream implements AutoCloseable {
        private final UpstreamResponse response;
        private final FrameReader reader;
        private SseEvent first;  // let go once relayed: the stream object lives as long as the stream
        private final StreamTranslator translator;
        private CoarseTimer.Timeout pings;  // the client dialect's keep-alive frames while the stream is silent

        private OpenStream(UpstreamResponse response, FrameReader reader, SseEvent first, StreamTranslator translator) {
            this.response = response;
            this.reader = reader;
            this.first = first;
            this.translator = translator;
        }

        /**
         * The commit point: starts the client's stream and relays every event until the end. A stream
         * still going after {@link #HAND_OFF_AFTER} goes on on a thread of its own where the platform
         * allows ({@link ClientResponse#relay}), so that the request's thread returns and what a long
         * stream keeps parked is the relay loop alone; a short one never pays for the hand-off.
         */
        public void commit(ClientResponse out, RequestContext ctx) {
            response.releaseHeaders();
            try {
                out.startStream(null);
            } catch (RuntimeException e) {
                ctx.upstreamAnswered();
                response.close();
                throw e;
            }
            byte[] keepAlive = translator.keepAliveFrame();
            pings = keepAlive == null ? null : CoarseTimer.shared().every(keepAliveNanos, keepAliveNanos / 2,
                    () -> Thread.ofVirtual().start(() -> out.keepAlive(keepAlive, keepAliveNanos)));
            // Every wait from here is a read of the upstream's body: flush what was written just before it.
            out.holdFlushes();
            response.beforeEachRead(() -> {
                if (out.holdsUnflushed()) {  // the flush is the gateway's time, not the upstream's
                    ctx.upstreamAnswered();
                    out.flushPending();
                    ctx.upstreamSent();
                }
            });
            relay(out, ctx, System.nanoTime() + HAND_OFF_AFTER.toNanos());
        }

        /**
         * Relays events until the stream ends, and then ends it; or, once {@code handOffAt} (a
         * {@link System#nanoTime} reading; {@link Long#MAX_VALUE} for never) has passed, hands the rest
         * to {@link ClientResponse#relay} between two events, never in the middle of a read.
         */
        private void relay(ClientResponse out, RequestContext ctx, long handOffAt) {
            boolean handedOff = false;
            boolean finished = false;
            try {
                SseEvent pending = first;
                first = null;
                Progress progress = pending == null ? Progress.CONTINUE : translator.onEvent(pending, out);
                while (progress == Progress.CONTINUE) {
                    if (handOffAt != Long.MAX_VALUE && System.nanoTime() - handOffAt > 0) {
                        handedOff = true;
                        out.flushPending();  // not held while the rest moves to its own thread
                        out.relay(() -> relay(out, ctx, Long.MAX_VALUE));
                        return;
                    }
                    ctx.upstreamSent();
                    SseEvent event = reader.next();
                    ctx.upstreamAnswered();
                    progress = event == null ? translator.onEnd(out) : translator.onEvent(event, out);
                }
                if (progress == Progress.FAILED) {
                    ctx.errorKind("upstream_stream_error");
                    out.fail(new IOException("upstream reported an error mid-stream"));
                } else {
                    out.complete();
                    finished = true;
                }
            } catch (IOException e) {
                GatewayError error = readFailure(response, e);
                ctx.errorKind(error.kind().name().toLowerCase(Locale.ROOT));
                translator.onFailure(error, out);
                out.fail(e);
            } finally {
                if (!handedOff) {
                    if (pings != null) {
                        pings.cancel();
                    }
                    ctx.upstreamAnswered();
                    if (finished) {
                        response.closeAtEnd();  // the client's stream is complete; the upstream connection is kept if it can be
                    } else {
                        response.close();
                    }
                }
            }
        }

        @Override
        public void close() {
            response.close();
        }
    }

    /**
     * Sends the request and reads up to the first upstream event. Any failure until then is a
     * {@link GatewayException} and nothing has reached the client, so the caller may fail over.
     */
    public OpenStream open(UpstreamRequest request, UpstreamCall call, boolean gatewayKey, StreamTranslator translator,
                           RequestContext ctx) {
        ctx.upstreamSent();
        UpstreamResponse response = client.send(withinDeadline(request, ctx), ctx::upstreamCancel);
        try {
            if (response.status() >= 300) {
                throw errorResponse(response, call, gatewayKey, ctx);
            }
            FrameReader reader = call.frames(response);
            SseEvent first;
            try {
                first = reader.next();
            } catch (IOException e) {
                throw readFailure(response, e).exception();
            }
            ctx.upstreamAnswered();
            if (first == null) {
                throw GatewayError.of(ErrorKind.CONNECTION, "The upstream closed the stream before sending any event.",
                        "upstream_stream_empty").exception();
            }
            GatewayError early = translator.errorBeforeStart(first);
            if (early != null) {
                throw early.exception();
            }
            return new OpenStream(response, reader, first, translator);
        } catch (RuntimeException e) {
            ctx.upstreamAnswered();
            response.close();
            throw e;
        }
    }

    /** A platform deadline (Lambda's) bounds every upstream call; a call that cannot start in time is a timeout. */
    private static UpstreamRequest withinDeadline(UpstreamRequest request, RequestContext ctx) {
        if (ctx.deadline() == null) {
            return request;
        }
        Duration left = Duration.between(java.time.Instant.now(), ctx.deadline());
        if (left.toMillis() <= 0) {
            throw GatewayError.of(ErrorKind.TIMEOUT, "The invocation deadline passed before the upstream call.", "deadline_exceeded")
                    .exception();
        }
        return request.boundedBy(left);
    }

    private static GatewayException errorResponse(UpstreamResponse response, UpstreamCall call, boolean gatewayKey, RequestContext ctx) {
        byte[] body;
        try {
            body = response.readBody(MAX_ERROR_BODY_BYTES);
        } catch (IOException e) {
            body = new byte[0];
        }
        ctx.upstreamAnswered();
        return call.error(response.status(), response.headers(), body, gatewayKey).exception();
    }

    private static GatewayError readFailure(UpstreamResponse response, IOException e) {
        if (e instanceof SseTooLargeException) {
            return GatewayError.of(ErrorKind.UPSTREAM_ERROR, "The upstream sent an event larger than the gateway accepts ("
                    + SseReader.DEFAULT_MAX_EVENT_BYTES + " bytes).", "upstream_event_too_large").withStatus(502);
        }
        if (response.deadlinePassed()) {
            return GatewayError.of(ErrorKind.TIMEOUT, "The upstream did not finish within the request timeout.", "upstream_timeout");
        }
        return GatewayError.of(ErrorKind.CONNECTION, "The upstream connection was lost: " + describe(e), "upstream_connection_lost");
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
