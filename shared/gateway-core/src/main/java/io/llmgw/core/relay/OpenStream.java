package io.llmgw.core.relay;

import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.error.GatewayException;
import io.llmgw.core.http.CoarseTimer;
import io.llmgw.core.http.Headers;
import io.llmgw.core.spi.Progress;
import io.llmgw.core.spi.UpstreamCall;
import io.llmgw.core.stream.FrameDecoder;
import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.upstream.UpstreamRequest;
import io.llmgw.core.web.ClientResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An upstream stream, read as its bytes arrive. Until its first event has arrived and been accepted
 * it is an attempt: any failure is a plain error for the attempt loop, which may fail over, and
 * nothing has reached the client. Then the opener either {@link #commit}s it — the commit point: the
 * client's stream starts and every event is relayed as it is decoded — or {@link #close}s it.
 * Each piece the upstream sends is relayed whole before the next is read, so a slow client slows
 * the upstream read (back-pressure) instead of filling a queue; what a piece produced is flushed
 * to the client in one write before the next read.
 */
public final class OpenStream extends UpstreamAnswer implements AutoCloseable {
    private enum State { OPENING, OPENED, RELAYING, OVER }

    private final StreamTranslator translator;
    private final long keepAliveNanos;
    private final Completion<OpenStream> opened;
    private FrameDecoder decoder;
    private State state = State.OPENING;
    /** Events decoded before the commit (the first among them); null once relayed. */
    private List<SseEvent> early = new ArrayList<>(2);
    /** The body ended before the commit, after its first event. */
    private boolean endedEarly;
    private ClientResponse out;
    private CoarseTimer.Timeout pings;  // the client dialect's keep-alive frames while the stream is silent

    OpenStream(UpstreamRequest request, UpstreamCall call, boolean gatewayKey, StreamTranslator translator, RequestContext ctx,
               long keepAliveNanos, Completion<OpenStream> opened) {
        super(request, call, gatewayKey, ctx);
        this.translator = translator;
        this.keepAliveNanos = keepAliveNanos;
        this.opened = opened;
    }

    @Override
    void head(Headers headers) {
        try {
            decoder = call.decoder(headers);
        } catch (GatewayException notAStream) {
            abort();
            ctx.upstreamAnswered();
            opened.failed(notAStream);
        }
    }

    @Override
    void body(ByteBuffer bytes) {
        ctx.upstreamAnswered();
        if (state != State.OPENING) {
            relaying(() -> {
                decode(bytes);
                afterRead();
            });
            return;
        }
        try {
            decoder.feed(bytes, early::add);
        } catch (IOException e) {
            abort();
            opened.failed(Relay.readFailure(e, false).exception());
            return;
        }
        if (early.isEmpty()) {
            ctx.upstreamSent();  // nothing to act on yet: waiting for the upstream again
        } else {
            accept();
        }
    }

    @Override
    void end() {
        ctx.upstreamAnswered();
        if (state != State.OPENING) {
            relaying(this::ended);
            return;
        }
        try {
            decoder.end(early::add);
        } catch (IOException e) {
            opened.failed(Relay.readFailure(e, false).exception());
            return;
        }
        if (early.isEmpty()) {
            opened.failed(GatewayError.of(ErrorKind.CONNECTION, "The upstream closed the stream before sending any event.",
                    "upstream_stream_empty").exception());
            return;
        }
        endedEarly = true;
        accept();
    }

    @Override
    void failure(IOException cause, boolean deadlinePassed) {
        ctx.upstreamAnswered();
        if (state == State.OPENING) {
            opened.failed(Relay.readFailure(cause, deadlinePassed).exception());
        } else if (state == State.RELAYING) {
            relaying(() -> failedMidStream(cause, deadlinePassed));
        }
    }

    @Override
    void failed(GatewayException error) {
        opened.failed(error);
    }

    /** The first event arrived: the attempt is won unless the event itself is an error the client may still get as one. */
    private void accept() {
        GatewayError refusal = translator.errorBeforeStart(early.get(0));
        if (refusal != null) {
            abort();
            opened.failed(refusal.exception());
            return;
        }
        state = State.OPENED;
        opened.done(this);
    }

    /** The commit point: starts the client's stream and relays every event until the end. */
    public void commit(ClientResponse client, RequestContext context) {
        out = client;
        state = State.RELAYING;
        try {
            out.startStream(null);
        } catch (RuntimeException e) {
            state = State.OVER;
            abort();
            throw e;
        }
        // Everything from here is written unflushed and flushed once per piece read (afterRead), except the
        // first event: it goes out at once with the headers, before the events that came with it are
        // translated — the first byte is what a streaming client waits for.
        out.holdFlushes();
        List<SseEvent> pending = early;
        early = null;
        relaying(() -> {
            for (int i = 0; i < pending.size(); i++) {
                relay(pending.get(i));
                if (i == 0 && pending.size() > 1 && state == State.RELAYING) {
                    out.flushPending();
                }
            }
            if (endedEarly) {
                if (state == State.RELAYING) {
                    finished(translator.onEnd(out));  // the decoder has had the body's end already
                }
            } else {
                afterRead();
            }
        });
        keepAlive();
    }

    /** Arms the keep-alive frames of a stream still going: after its first bytes, which are not kept waiting for it. */
    private void keepAlive() {
        byte[] keepAlive = translator.keepAliveFrame();
        if (keepAlive != null && state == State.RELAYING) {
            pings = CoarseTimer.shared().every(keepAliveNanos, keepAliveNanos / 2,
                    () -> Thread.ofVirtual().start(() -> out.keepAlive(keepAlive, keepAliveNanos)));
        }
    }

    /** Runs part of the relay; whatever it throws (a client gone) ends the stream's upstream side before it goes on up. */
    private void relaying(Runnable part) {
        try {
            part.run();
        } catch (RuntimeException | Error e) {
            over();
            abort();
            throw e;
        }
    }

    private void decode(ByteBuffer bytes) {
        try {
            decoder.feed(bytes, this::relay);
        } catch (IOException e) {
            failedMidStream(e, false);
        }
    }

    private void relay(SseEvent event) {
        if (state == State.RELAYING) {
            Progress progress = translator.onEvent(event, out);
            if (progress != Progress.CONTINUE) {
                finished(progress);
            }
        }
    }

    private void ended() {
        try {
            decoder.end(this::relay);
        } catch (IOException e) {
            failedMidStream(e, false);
            return;
        }
        if (state == State.RELAYING) {
            finished(translator.onEnd(out));
        }
    }

    /** What one read brought is relayed: flush it, and pause the upstream while the client takes no more. */
    private void afterRead() {
        if (state != State.RELAYING) {
            return;
        }
        if (out.holdsUnflushed()) {
            out.flushPending();  // the flush is the gateway's time, not the upstream's
        }
        ctx.upstreamSent();
        if (!out.ready()) {
            exchange.pause();  // the client is slow: nothing more is read from the upstream until it takes more
            out.whenReady(() -> out.resumed(exchange::resume));
        }
    }

    private void finished(Progress progress) {
        over();
        if (progress == Progress.FAILED) {
            ctx.errorKind("upstream_stream_error");
            abort();
            out.fail(new IOException("upstream reported an error mid-stream"));
            return;
        }
        boolean complete = false;
        try {
            out.complete();
            complete = true;
        } finally {
            if (!complete) {
                abort();
            } else if (!transportDone) {
                transportDone = true;
                exchange.finish();  // the client's stream is complete; the upstream connection is kept if it can be
            }
        }
    }

    private void failedMidStream(IOException e, boolean deadlinePassed) {
        over();
        abort();
        GatewayError error = Relay.readFailure(e, deadlinePassed);
        ctx.errorKind(error.kind().name().toLowerCase(Locale.ROOT));
        translator.onFailure(error, out);
        out.fail(e);
    }

    private void over() {
        state = State.OVER;
        if (pings != null) {
            pings.cancel();
        }
        ctx.upstreamAnswered();
    }

    /** Gives the stream up before its commit (to fail over elsewhere). */
    @Override
    public void close() {
        if (state != State.OVER && state != State.RELAYING) {
            state = State.OVER;
            abort();
        }
    }
}
