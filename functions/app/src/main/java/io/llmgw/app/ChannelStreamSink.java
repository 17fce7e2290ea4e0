package io.llmgw.app;

import io.llmgw.core.http.Headers;
import io.llmgw.core.stream.StreamSink;
import io.llmgw.netty.HeaderLines;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One answer on a Netty connection, written from the request's thread (or, once {@linkplain #detach
 * detached}, from a stream's own). Bytes are gathered up to {@link ServerSettings#OUTPUT_BUFFER_BYTES}
 * and go out on {@link #flush}; a whole answer written at once leaves with its head in one piece. A
 * write waits while the connection holds more than the high water mark the client has not read
 * (back-pressure: the upstream's reads wait with it). {@link #complete} ends the answer (the last
 * chunk of a stream); {@link #fail} ends it the same way when its framing can still be finished —
 * a stream's error event is already in it, as on the servlet path — and otherwise closes the
 * connection, so the client sees a cut answer rather than a complete-looking one.
 *
 * <p>Until the answer starts, a client that leaves runs the gateway's {@link #onDisconnect} action
 * (once the body, if any, has been read: before that the body's read fails on its own).
 */
final class ChannelStreamSink implements StreamSink {
    private final HttpConnection connection;
    private final Channel channel;
    private final HttpVersion version;
    private final boolean headRequest;
    private final boolean keepAliveAsked;
    private final boolean bodyExpected;
    private final RequestBody body;
    private final AtomicBoolean disconnectRan = new AtomicBoolean();
    private volatile Runnable onDisconnect;
    private volatile boolean bodyRead;
    private volatile boolean clientGone;
    private volatile boolean started;
    private volatile boolean handlerDone;
    private final AtomicBoolean requestOver = new AtomicBoolean();

    // The writer's state: one thread at a time (the request's, then a detached stream's, which it started).
    private HttpResponseStatus status;
    private HttpHeaders head;
    private boolean headSent;
    private ByteBuf pending;
    private boolean bodyAllowed;
    private boolean chunked;
    private long length = -1;
    private long written;
    private boolean keepAlive;
    private boolean ended;

    ChannelStreamSink(HttpConnection connection, HttpVersion version, boolean headRequest, boolean keepAliveAsked,
                      boolean bodyExpected, RequestBody body) {
        this.connection = connection;
        this.channel = connection.channel();
        this.version = version;
        this.headRequest = headRequest;
        this.keepAliveAsked = keepAliveAsked;
        this.bodyExpected = bodyExpected;
        this.body = body;
    }

    RequestBody body() {
        return body;
    }

    /** Whether the answer has started: its head is decided and a disconnect no longer cancels anything. */
    boolean started() {
        return started;
    }

    /** The request body was read: from now until the answer starts, a client that leaves is acted on. */
    void bodyRead() {
        bodyRead = true;
        runDisconnectIfDue();
    }

    @Override
    public void onDisconnect(Runnable action) {
        onDisconnect = action;
        runDisconnectIfDue();
    }

    /** On the event loop: the client closed the connection, or its side of it. */
    void clientLeft() {
        clientGone = true;
        runDisconnectIfDue();
    }

    private void runDisconnectIfDue() {
        Runnable action = onDisconnect;
        if (clientGone && action != null && (bodyRead || !bodyExpected) && !started && !handlerDone
                && disconnectRan.compareAndSet(false, true)) {
            action.run();
        }
    }

    @Override
    public void start(int code, Headers headers) {
        started = true;
        String declared = headers.first("content-length");
        length = declared == null ? -1 : Long.parseLong(declared);
        bodyAllowed = !headRequest && code >= 200 && code != 204 && code != 304;
        // the gateway's own "connection: close" (a refused WebSocket upgrade) ends the connection as the client's does
        keepAlive = keepAliveAsked && connection.mayKeepAlive(body) && !"close".equalsIgnoreCase(headers.first("connection"));
        if (bodyAllowed && length < 0) {
            if (version.equals(HttpVersion.HTTP_1_1)) {
                chunked = true;
            } else {
                keepAlive = false;  // an HTTP/1.0 client reads such a body up to the end of the connection
            }
        }
        CharSequence connectionValue = !keepAlive ? HttpHeaderValues.CLOSE
                : version.equals(HttpVersion.HTTP_1_0) ? HttpHeaderValues.KEEP_ALIVE : null;
        HeaderLines lines = new HeaderLines();
        // the gateway's own lines, but those the connection gives itself below (the date, always)
        headers.forEach((name, value) -> {
            if (!name.equals("date") && !(chunked && name.equals("transfer-encoding"))
                    && !(connectionValue != null && name.equals("connection"))) {
                lines.add(name, value);
            }
        });
        if (chunked) {
            lines.add(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        if (connectionValue != null) {
            lines.add(HttpHeaderNames.CONNECTION, connectionValue);
        }
        lines.add(HttpHeaderNames.DATE, HttpDate.now());
        status = HttpResponseStatus.valueOf(code);
        // Netty's encoder drops the length and transfer coding of 1xx, 204 and 205 answers (and of a 2xx to CONNECT,
        // which the gateway refuses with 405): those get a map it can edit
        head = code < 200 || code == 204 || code == 205 ? lines.editable() : lines.readOnly();
    }

    @Override
    public void write(byte[] bytes, int offset, int count) throws IOException {
        if (count == 0 || !bodyAllowed) {
            return;  // HEAD, 204 and 304 answers carry no body
        }
        written += count;
        if (pending != null && pending.writableBytes() >= count) {
            pending.writeBytes(bytes, offset, count);
            return;
        }
        if (head != null && pending == null && written == length) {
            pending = copy(bytes, offset, count);  // a whole answer in one write: it leaves with its head at complete()
            return;
        }
        send(false);
        if (count >= ServerSettings.OUTPUT_BUFFER_BYTES) {
            writeContent(copy(bytes, offset, count), false);
        } else {
            pending = buffer(ServerSettings.OUTPUT_BUFFER_BYTES);
            pending.writeBytes(bytes, offset, count);
        }
    }

    private ByteBuf copy(byte[] bytes, int offset, int count) {
        return buffer(count).writeBytes(bytes, offset, count);
    }

    /**
     * On the event loop (where model calls are answered), one of its pooled direct buffers, which the
     * socket writes from as it is. Elsewhere — request threads, mostly virtual — heap bytes: the pool
     * would bind each such thread to an arena through a thread-local of its own, and the loop copies
     * heap bytes into its direct buffers as it writes them.
     */
    private ByteBuf buffer(int capacity) {
        return channel.eventLoop().inEventLoop() ? channel.alloc().ioBuffer(capacity) : Unpooled.buffer(capacity);
    }

    /** A whole answer gathered with its head stays for {@link #complete}, which sends both in one piece. */
    @Override
    public void flush() throws IOException {
        if (head != null && pending != null && written == length) {
            return;  // all its bytes are here, and nothing but the end can follow
        }
        send(true);
    }

    /** What is gathered so far goes to the connection, after the head if it has not gone yet. */
    private void send(boolean flush) throws IOException {
        ByteBuf data = pending;
        pending = null;
        if (data != null) {
            writeContent(data, flush);
        } else if (flush) {
            sendHead();
            channel.flush();
        }
    }

    private void writeContent(ByteBuf data, boolean flush) throws IOException {
        try {
            awaitWritable();
        } catch (IOException e) {
            data.release();
            throw e;
        }
        sendHead();
        if (flush) {
            channel.writeAndFlush(new DefaultHttpContent(data), channel.voidPromise());
        } else {
            channel.write(new DefaultHttpContent(data), channel.voidPromise());
        }
    }

    private void sendHead() {
        if (head != null) {
            channel.write(new DefaultHttpResponse(version, status, head), channel.voidPromise());
            head = null;
            headSent = true;
        }
    }

    /** Waits while the client has more than the high water mark left to read; never on the event loop itself. */
    private void awaitWritable() throws IOException {
        if (!channel.isActive()) {
            throw new ClosedChannelException();
        }
        if (!channel.isWritable() && !channel.eventLoop().inEventLoop()) {
            connection.writability().await();
        }
    }

    @Override
    public void complete() {
        if (ended) {
            return;
        }
        ended = true;
        ByteBuf data = pending;
        pending = null;
        ChannelFuture last;
        if (head != null && !chunked) {
            last = channel.writeAndFlush(new DefaultFullHttpResponse(version, status, data == null ? Unpooled.EMPTY_BUFFER : data,
                    head, DefaultHttpHeadersFactory.trailersFactory().newEmptyHeaders()));
            head = null;
            headSent = true;
        } else {
            sendHead();
            last = channel.writeAndFlush(data == null ? LastHttpContent.EMPTY_LAST_CONTENT : new DefaultLastHttpContent(data));
        }
        // A Content-Length the bytes did not match leaves the client unable to find the next answer.
        boolean reusable = keepAlive && (chunked || !bodyAllowed || length < 0 || written == length);
        last.addListener(done -> connection.responseEnded(this, done.isSuccess() && reusable));
    }

    @Override
    public void fail(Throwable error) {
        if (ended) {
            return;
        }
        if ((head != null || headSent) && channel.isActive() && (chunked || !bodyAllowed || length < 0 || written == length)) {
            complete();
            return;
        }
        ended = true;
        if (pending != null) {
            pending.release();
            pending = null;
        }
        channel.close();
    }

    /**
     * The request's thread may return before its answer ends — a stream that lasts, or an answer still to
     * come from the upstream — and the answer goes on from another; the connection stays open until it
     * completes or fails.
     */
    @Override
    public boolean detach() {
        return true;
    }

    /** Whether the client takes more now: a writer on the event loop must not wait, so the relay pauses the upstream instead. */
    @Override
    public boolean ready() {
        return channel.isWritable();
    }

    @Override
    public void whenReady(Runnable then) {
        connection.writability().whenWritable(then);
    }

    /**
     * The gateway is done with the request (its answer, end steps, log line and metrics; once): no
     * disconnect action may run after this, an answer left unended (a gateway bug) is cut rather than
     * left hanging, and the connection may go on to its next request once the answer is written.
     */
    void requestEnded() {
        if (!requestOver.compareAndSet(false, true)) {
            return;
        }
        handlerDone = true;
        if (!ended) {
            fail(new IllegalStateException("the gateway ended the request without ending its answer"));
        }
        try {
            // a task of its own even on the loop: the connection's next request never starts inside this one's end
            connection.loop().execute(() -> connection.handlerReturned(this));
        } catch (RejectedExecutionException stopped) {
            // the server has stopped: its connections are closed
        }
    }
}
