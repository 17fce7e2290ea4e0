package io.llmgw.app;

import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.Headers;
import io.llmgw.core.web.GatewayRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, on its event loop: its requests in order, one at a time, each handed to the
 * gateway with a {@link RequestBody} and a {@link ChannelStreamSink}. The socket is read only when
 * something needs the bytes — the next request's head, a body the gateway asked for, the rest of a
 * body after its answer — so a body costs nothing before authentication and a client that pipelines
 * has at most one read's worth of requests waiting here, answered in order.
 *
 * <p>After an answer, what is left of its request body is read and dropped within a bound
 * ({@link BodyDrain}).
 *
 * <p>The idle timeout ({@link ServerSettings#idleTimeout}): between requests it closes the connection,
 * while the gateway waits for the body it is a 408 ({@link SocketTimeoutException}), while an answer
 * waits for the client to read it cuts the connection; while the gateway waits for its upstream it
 * does nothing.
 */
final class HttpConnection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(HttpConnection.class);
    private static final ByteBuf CONTINUE = Unpooled.unreleasableBuffer(
            Unpooled.copiedBuffer("HTTP/1.1 100 Continue\r\n\r\n", StandardCharsets.US_ASCII));

    private final GatewayServer server;
    /** Requests (and their bodies) read while another one was being answered. */
    private final ArrayDeque<Object> queued = new ArrayDeque<>(2);
    private ChannelHandlerContext ctx;
    private Writability writability;
    /** The current request, when the loop serves it and its body had not all arrived with its head; else null. */
    private GatewayRequest awaitingBody;
    private String clientAddress;
    private ChannelStreamSink current;
    /** The current answer's last byte was written, and the connection may carry another request after it. */
    private boolean answerWritten;
    /** The gateway's call for the current request returned. */
    private boolean handlerBack;
    /** No request after the current one: the client closed its side, the framing broke, or a refusal was sent. */
    private volatile boolean closing;
    private boolean inputClosed;
    private final BodyDrain drain = new BodyDrain();

    HttpConnection(GatewayServer server) {
        this.server = server;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        ctx = context;
        writability = new Writability(context.channel());
    }

    Channel channel() {
        return ctx.channel();
    }

    EventLoop loop() {
        return ctx.channel().eventLoop();
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        if (context.channel().remoteAddress() instanceof InetSocketAddress remote) {
            clientAddress = remote.getAddress().getHostAddress();
        }
        context.read();
        context.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (msg instanceof HttpRequest request && current == null && queued.isEmpty() && !closing) {
            begin(request);
        } else if (msg instanceof HttpContent content && current != null && !current.body().ended() && queued.isEmpty()) {
            feed(content);
            serveAwaiting(true);
        } else if ((current == null && queued.isEmpty()) || closing) {
            ReferenceCountUtil.release(msg);  // what follows a refused message, or a connection about to close
        } else {
            queued.add(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        serveAwaiting(false);
        readMore();
    }

    /** Reads from the socket when something waits for its bytes (see the class comment). */
    void readMore() {
        if (!ctx.channel().isActive() || inputClosed || !queued.isEmpty()) {
            return;
        }
        if (current == null) {
            if (!closing) {
                ctx.read();
            }
            return;
        }
        RequestBody body = current.body();
        if (body.ended()) {
            if (!current.started()) {
                ctx.read();  // a read outstanding while the answer is prepared is how NIO notices a client that leaves
            }
        } else if (body.waiting() || drain.running()) {
            ctx.read();
        }
    }

    private void begin(HttpRequest request) {
        String uri = request.uri();
        RequestTarget target = RequestTarget.parse(uri);
        int refusal = ServerErrors.refusal(request, target);
        if (refusal != 0) {
            ReferenceCountUtil.release(request);  // the decoder's stand-in for a head it refused is a whole (empty) message
            // that stand-in's path is the decoder's, not the client's
            refuse(refusal, request.decoderResult().isFailure() ? "/" : target != null ? target.path() : RequestTarget.errorPath(uri));
            return;
        }
        HttpVersion version = request.protocolVersion();
        boolean expectsContinue = request.headers().contains(HttpHeaderNames.EXPECT) && version.equals(HttpVersion.HTTP_1_1);
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        long declared = chunked ? -1 : HttpUtil.getContentLength(request, 0L);
        boolean bodyExpected = chunked || declared > 0;
        RequestBody body = new RequestBody(this, declared, expectsContinue && bodyExpected);
        ChannelStreamSink sink = new ChannelStreamSink(this, version, request.method().equals(HttpMethod.HEAD),
                HttpUtil.isKeepAlive(request), bodyExpected, body);
        Headers headers = new Headers();
        for (Map.Entry<String, String> header : request.headers()) {
            headers.add(header.getKey(), header.getValue());
        }
        boolean onTheLoop = server.handOff().onTheLoop(request.method().name(), target.path());
        GatewayRequest gatewayRequest = new GatewayRequest(request.method().name(), target.path(), target.query(), headers,
                body.source(sink, onTheLoop), clientAddress, null, null);
        current = sink;
        answerWritten = false;
        handlerBack = false;
        if (onTheLoop && bodyExpected && !body.ended()) {
            awaitingBody = gatewayRequest;  // served once this read has brought its body, or ended without all of it
        } else if (onTheLoop) {
            server.handOff().serveHere(gatewayRequest, sink);
        } else if (!server.handOff().serve(gatewayRequest, sink)) {
            current = null;
            refuse(503, target.path());
        }
    }

    /**
     * Serves the request whose body was arriving once it is whole ({@code bodyWhole}), or once the read
     * that brought its head ended without all of it: the rest is then awaited without holding the loop
     * ({@link RequestBody#whenReadable}), while a body that came with its head is read at once.
     */
    private void serveAwaiting(boolean bodyWhole) {
        GatewayRequest request = awaitingBody;
        if (request == null || current == null || (bodyWhole && !current.body().ended())) {
            return;
        }
        awaitingBody = null;
        server.handOff().serveHere(request, current);
    }

    /** Runs a part of the current request on a request thread: one too large for the loop ({@link RequestBody}). */
    void onAThread(Runnable part) {
        server.handOff().elsewhere(part);
    }

    /** Answers an error of the server's own and ends the connection after it. */
    private void refuse(int status, String path) {
        closing = true;
        releaseQueued();
        server.errors().answer(ctx, status, path);
    }

    private void feed(HttpContent content) {
        RequestBody body = current.body();
        DecoderResult decoded = content.decoderResult();
        if (decoded.isFailure()) {
            content.release();
            closing = true;  // the decoder reads nothing more from this connection
            body.fail(decoded.cause() instanceof PrematureChannelClosureException ? new ClosedChannelException()
                    : GatewayError.of(ErrorKind.INVALID_REQUEST, "The request body is not valid HTTP (bad chunked encoding).",
                            "invalid_body").exception());
            if (drain.running()) {
                ctx.close();
            }
            return;
        }
        body.offer(content);
        if (drain.running()) {
            if (body.ended()) {
                next();
            } else if (drain.exceeded(body.discarded())) {
                ctx.close();
            }
        }
    }

    /** On the event loop, once the answer's last byte was written (or failed to be). */
    void responseEnded(ChannelStreamSink sink, boolean reusable) {
        if (sink != current) {
            return;
        }
        if (!reusable) {
            ctx.close();
            return;
        }
        answerWritten = true;
        if (handlerBack) {
            afterAnswer(sink);
        }
    }

    /**
     * On the event loop, once the gateway's call for the current request returned on its thread. The
     * next request on the connection waits for it as under the servlet container: by then the request's
     * end steps, log line and metrics are done (a stream that lasts returns at once and ends later).
     */
    void handlerReturned(ChannelStreamSink sink) {
        if (sink != current) {
            return;
        }
        handlerBack = true;
        if (answerWritten) {
            afterAnswer(sink);
        }
    }

    /** The answer is out and the gateway done with the request: on to the rest of its body, then the next one. */
    private void afterAnswer(ChannelStreamSink sink) {
        if (closing || server.stopping() || !ctx.channel().isActive()) {
            ctx.close();
            return;
        }
        RequestBody body = sink.body();
        if (body.ended()) {
            next();
            return;
        }
        if (body.broken() || inputClosed) {
            ctx.close();
            return;
        }
        body.discardRest();
        drain.start(ctx, body.wanted());
        readMore();
    }

    /** The current request is over: the next one already read, if any, then reading resumes. */
    private void next() {
        current = null;
        drain.end();
        while (current == null && !closing && !queued.isEmpty()) {
            Object msg = queued.poll();
            if (msg instanceof HttpRequest request) {
                begin(request);
            } else {
                ReferenceCountUtil.release(msg);
            }
            while (current != null && !current.body().ended() && queued.peek() instanceof HttpContent content) {
                queued.poll();
                feed(content);
            }
            serveAwaiting(true);
        }
        serveAwaiting(false);  // its body is not all here: the gateway awaits the rest
        readMore();  // when a refusal was sent instead, it closes the connection once written
    }

    /** Sends {@code 100 Continue} straight to the socket: it is no answer, and the codec must not count it as one. */
    void sendContinue() {
        ctx.pipeline().firstContext().writeAndFlush(CONTINUE.duplicate());
    }

    /** On the request's thread, as its answer starts: whether the connection can carry another request after it. */
    boolean mayKeepAlive(RequestBody body) {
        return !closing && !server.stopping() && !body.broken() && !body.continueWithheld();
    }

    /** Where the current answer's writer waits while the client has not read enough of it. */
    Writability writability() {
        return writability;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        writability.changed();
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        if (event instanceof IdleStateEvent) {
            idle();
        } else if (event instanceof ChannelInputShutdownEvent) {
            inputClosed = true;
            closing = true;
            if (current == null) {
                context.close();
            } else {
                current.clientLeft();
                current.body().fail(new ClosedChannelException());
            }
        }
        ReferenceCountUtil.release(event);
    }

    private void idle() {
        ChannelStreamSink sink = current;
        if (sink == null) {
            ctx.close();  // an idle keep-alive connection
            return;
        }
        if (drain.running()) {
            return;  // the drain has its own deadline
        }
        RequestBody body = sink.body();
        if (body.waiting()) {
            body.fail(new SocketTimeoutException("no byte of the request body for " + server.settings().idleTimeout()));
        } else if (sink.started() && !ctx.channel().isWritable()) {
            ctx.close();  // the client has read nothing of its answer for the whole timeout
        }
    }

    /** Server shutdown: the connection ends once its current answer has, at once when it has none. */
    void closeWhenIdle() {
        loop().execute(() -> {
            closing = true;
            if (current == null) {
                ctx.close();
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        ChannelStreamSink sink = current;
        if (sink != null) {
            sink.clientLeft();
            sink.body().fail(new ClosedChannelException());
        }
        writability.changed();
        serveAwaiting(false);  // it ends as any request whose client left
        drain.end();
        releaseQueued();
        context.fireChannelInactive();
    }

    private void releaseQueued() {
        for (Object msg; (msg = queued.poll()) != null; ) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (!(cause instanceof IOException)) {  // a reset or broken pipe is the client's to have; anything else is ours
            LOG.warn("HTTP connection failed", cause);
        }
        context.close();
    }
}
