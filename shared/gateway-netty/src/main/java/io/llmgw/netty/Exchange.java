package io.llmgw.netty;

import io.llmgw.core.http.Headers;
import io.llmgw.core.upstream.UpstreamListener;
import io.llmgw.core.upstream.UpstreamRequest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * One upstream exchange, from taking a connection to the end of the answer, on one event loop: every
 * change of its state and every listener call happens there, so calls never overlap and need no
 * lock. Other threads reach it through the cancellation and its {@link ExchangeControls}.
 *
 * <p>A pooled connection found closed when it is taken is replaced by a fresh one: nothing was
 * written to it, so nothing can have been processed. Once any byte of the request went out nothing
 * is sent again: a connection that then closes before the head is an {@code onFailure} (the blocking
 * client, without a retry handler, failed the same way), and whether to try again is the caller's
 * decision, as it is for every other failure.
 */
final class Exchange {
    /** The most read after {@code finish} to keep the connection (as the blocking client's {@code closeAtEnd}). */
    static final int END_MAX_BYTES = 8 * 1024;

    private enum State { NEW, CONNECTING, SENT, BODY, FINISHING, DONE }

    private final Connector connector;
    private final ConnectionPool pool;
    private final EventLoop loop;
    private final Origin origin;
    private final UpstreamListener listener;
    private final ExchangeControls controls;
    private final Duration timeout;
    /** How long the end of the body may take after {@code finish}. */
    private final Duration endWait;
    private final long started = System.nanoTime();
    /** Until it is written: a stream outlives its request by minutes, and the request holds the body. */
    private UpstreamRequest request;
    private State state = State.NEW;
    private Channel channel;
    private Connection connection;
    private ScheduledFuture<?> deadline;
    /** Closes the connection if the body has not ended {@link #endWait} after finish. */
    private ScheduledFuture<?> endBound;
    private boolean keepAlive;
    private boolean written;
    private boolean skippingInformational;
    private boolean closedWhilePaused;
    private int bytesAfterFinish;
    /** Body pieces decoded but not yet handed over: this read's, gathered, and those decoded while paused. */
    private final BodyPieces pieces = new BodyPieces();

    Exchange(Connector connector, ConnectionPool pool, Origin origin, UpstreamRequest request, UpstreamListener listener,
            Duration endWait) {
        this.connector = connector;
        this.pool = pool;
        this.loop = pool.loop();
        this.origin = origin;
        this.request = request;
        this.listener = listener;
        this.controls = new ExchangeControls(this, loop);
        this.timeout = request.timeout();
        this.endWait = endWait;
    }

    /** Starts the exchange on its loop: the deadline, then a pooled connection or a new one. */
    void start() {
        if (state != State.NEW) {
            return; // cancelled before it started
        }
        deadline = loop.schedule(this::deadlinePassed, timeout.toNanos() - (System.nanoTime() - started), TimeUnit.NANOSECONDS);
        Connection pooled = pool.acquire(origin);
        if (pooled != null && !pooled.channel().isActive()) {
            pooled.channel().close(); // found closed before anything was written to it: a fresh connection instead
            pooled = null;
        }
        connection = pooled != null ? pooled : new Connection(pool, origin);
        connection.attach(this);
        if (pooled != null) {
            channel = pooled.channel();
            write();
            return;
        }
        state = State.CONNECTING;
        ChannelFuture connecting;
        try {
            connecting = connector.connect(loop, origin, connection);
        } catch (SSLException e) {
            fail(e, false);
            return;
        }
        channel = connecting.channel();
        connecting.addListener((ChannelFutureListener) this::connected);
    }

    private void connected(ChannelFuture connecting) {
        if (state != State.CONNECTING) {
            return; // the deadline or a cancellation closed it first
        }
        if (connecting.isSuccess()) {
            write();
        } else {
            fail(Failures.connectFailed(connecting.cause(), origin), false);
        }
    }

    private void write() {
        state = State.SENT;
        FullHttpRequest encoded;
        try {
            encoded = Requests.encode(request);
        } catch (IllegalArgumentException e) {
            fail(Failures.unsendable(e), false);
            return;
        }
        request = null;
        channel.writeAndFlush(encoded).addListener((ChannelFutureListener) writing -> {
            if (writing.isSuccess()) {
                written = true;
            } else {
                fail(Failures.of(writing.cause(), origin), false);
            }
        });
    }

    /** What the codec decoded on this exchange's connection; the exchange owns it from here. */
    void read(HttpObject message) {
        if (message.decoderResult().isFailure()) {
            ReferenceCountUtil.release(message);
            fail(Failures.notHttp(message.decoderResult().cause()), false);
            return;
        }
        // a finish or abort from another thread whose task has not run yet applies from here
        if (controls.abortWanted()) {
            drop();
        } else if (controls.finishWanted()) {
            finishNow();
        }
        if (message instanceof HttpResponse response) {
            head(response);
        }
        if (message instanceof HttpContent content) {
            content(content);
        }
    }

    private void head(HttpResponse response) {
        if (state != State.SENT) {
            return;
        }
        int status = response.status().code();
        if (status >= 100 && status < 200 && status != 101) {
            skippingInformational = true; // a 100 Continue or 103 Early Hints: the answer comes after it
            return;
        }
        keepAlive = HttpUtil.isKeepAlive(response);
        Headers headers = new Headers();
        for (Map.Entry<String, String> header : response.headers()) {
            headers.add(header.getKey(), header.getValue());
        }
        state = State.BODY;
        listener.onHead(controls, status, headers);
    }

    private void content(HttpContent content) {
        switch (state) {
            case BODY -> {
                if (controls.paused() || pieces.holding()) {
                    pieces.hold(content);
                } else if (!(content instanceof LastHttpContent)) {
                    pieces.gather(content);
                } else if (pieces.gatheredAny()) {
                    readComplete();
                    content(content);  // the end after what came before it, as the state now says
                } else {
                    deliver(content);
                }
            }
            case FINISHING -> afterFinish(content);
            default -> {
                if (skippingInformational && content instanceof LastHttpContent) {
                    skippingInformational = false;
                }
                content.release();
            }
        }
    }

    /** The connection's read is complete (or the body's end came): what it gathered goes to the listener as one piece. */
    void readComplete() {
        HttpContent piece = pieces.takeGathered();
        if (piece == null) {
            return;
        }
        if (state != State.BODY) {
            content(piece);  // finishing: counted and discarded
        } else if (controls.paused()) {
            pieces.hold(piece);
        } else {
            deliver(piece);
        }
    }

    /** Hands a body piece to the listener, then the end if it was the last; releases the piece. */
    private void deliver(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        try {
            ByteBuf bytes = content.content();
            if (bytes.isReadable()) {
                listener.onBody(bytes.nioBuffer());
            }
        } finally {
            content.release();
        }
        if (!last) {
            return;
        }
        if (state == State.FINISHING) {
            ended(false); // finish() during the last piece: the connection is clean already
        } else if (state == State.BODY && controls.paused()) {
            pieces.hold(LastHttpContent.EMPTY_LAST_CONTENT); // the end waits for resume too
        } else if (state == State.BODY) {
            ended(true);
        }
    }

    /** After finish: the rest of the body, discarded, ends within the allowance (the connection is kept) or the connection is closed. */
    private void afterFinish(HttpContent content) {
        bytesAfterFinish += content.content().readableBytes();
        boolean last = content instanceof LastHttpContent;
        content.release();
        if (last) {
            ended(false);
        } else if (bytesAfterFinish > END_MAX_BYTES) {
            drop();
        }
    }

    /** The answer is complete: the connection goes back to the pool when it can serve another request, or is closed. */
    private void ended(boolean tellListener) {
        state = State.DONE;
        cancelTimers();
        pieces.release();
        Connection done = connection;
        connection = null;
        done.detach();
        if (keepAlive && written && !closedWhilePaused) {
            channel.config().setAutoRead(true); // an idle connection is read, to see the server close it
            pool.release(done);
        } else {
            channel.close();
        }
        // the connection is back first: an exchange the listener starts now can have it
        if (tellListener && !controls.listenerDone()) {
            listener.onEnd();
        }
    }

    /** From the controls: pause() stops reading the connection, while the exchange is still reading it. */
    void stopReading() {
        if (state == State.BODY && controls.paused()) {
            channel.config().setAutoRead(false);
        }
    }

    /** From the controls: resume() delivers what was held, then reads on (unless the listener paused again meanwhile). */
    void resumeReading() {
        if (state != State.BODY) {
            return;
        }
        try {
            while (pieces.holding() && state == State.BODY && !controls.paused()) {
                if (controls.listenerDone()) {
                    read(pieces.nextHeld()); // applies the finish or abort, as a read would
                } else {
                    deliver(pieces.nextHeld());
                }
            }
        } catch (RuntimeException e) {
            failed(e); // the listener threw: as on a read, where the pipeline reports it
            return;
        }
        if (state != State.BODY || controls.paused()) {
            return;
        }
        if (closedWhilePaused) {
            fail(Failures.closedMidBody(), false);
        } else {
            channel.config().setAutoRead(true);
        }
    }

    /** From the controls: finish() reads on for the end of the body, within the allowance. */
    void finishNow() {
        if (state != State.BODY) {
            return;
        }
        state = State.FINISHING;
        HttpContent next;
        while (state == State.FINISHING && (next = pieces.nextHeld()) != null) {
            afterFinish(next);
        }
        if (state != State.FINISHING) {
            return;
        }
        if (closedWhilePaused) {
            drop();
            return;
        }
        channel.config().setAutoRead(true);
        endBound = loop.schedule(this::drop, endWait.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The connection closed under the exchange (after the codec passed on what the close completes). */
    void connectionClosed() {
        switch (state) {
            case CONNECTING, SENT -> fail(Failures.closedBeforeHead(), false);
            case BODY -> {
                readComplete();  // what the read before the close brought comes before the failure
                if (state != State.BODY) {
                    return;
                }
                if (pieces.holding()) {
                    closedWhilePaused = true; // told after what was held, on resume
                } else {
                    fail(Failures.closedMidBody(), false);
                }
            }
            case FINISHING -> drop();
            default -> { }
        }
    }

    /** Something failed on the connection (the TLS handshake, the codec, a listener call that threw). */
    void failed(Throwable cause) {
        fail(Failures.of(cause, origin), false);
    }

    private void deadlinePassed() {
        fail(Failures.deadlinePassed(timeout), true);
    }

    /** The cancellation handed to the caller: from any thread. */
    void cancel() {
        controls.onLoop(() -> fail(Failures.cancelled(), false));
    }

    /** Ends the exchange and closes its connection; the listener hears it unless it said it needs nothing more. */
    private void fail(IOException cause, boolean deadlinePassed) {
        if (state == State.DONE) {
            return;
        }
        boolean tell = state != State.FINISHING && !controls.listenerDone();
        drop();
        if (tell) {
            listener.onFailure(cause, deadlinePassed);
        }
    }

    /** Ends the exchange without a word to the listener, closing the connection (or the attempt to make one). */
    void drop() {
        if (state == State.DONE) {
            return;
        }
        state = State.DONE;
        cancelTimers();
        pieces.release();
        if (connection != null) {
            connection.detach();
            connection = null;
        }
        if (channel != null) {
            channel.close();
        }
    }

    private void cancelTimers() {
        if (deadline != null) {
            deadline.cancel(false);
        }
        if (endBound != null) {
            endBound.cancel(false);
        }
    }
}
