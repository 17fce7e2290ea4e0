package io.llmgw.app;

import io.llmgw.core.Gateway;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.function.Supplier;

/**
 * What the server answers itself, before the gateway sees a request (a request line, target or
 * header it cannot parse or will not take, a head over the size bound, an HTTP version or an
 * expectation it does not serve): the gateway's JSON in the dialect the path implies, never an
 * HTML page or a stack trace. The connection closes after it: what follows on it cannot be trusted
 * to start a new request.
 */
final class ServerErrors {
    private final Supplier<Gateway> gateway;

    ServerErrors(Supplier<Gateway> gateway) {
        this.gateway = gateway;
    }

    /** Answers {@code status} for {@code path} ("/" when no path could be read) and closes the connection. */
    void answer(ChannelHandlerContext ctx, int status, String path) {
        byte[] body = gateway.get().platformErrorBody(path, status, message(status));
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.DATE, HttpDate.now());
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * The status the server answers itself for a request head, or 0 when the gateway gets the request:
     * one the decoder refused, an HTTP version other than 1.0 and 1.1, a target {@link RequestTarget}
     * refused (null), an HTTP/1.1 request without Host, an expectation other than {@code 100-continue}
     * (HTTP/1.0 has none: its Expect header is ignored, RFC 9110).
     */
    static int refusal(HttpRequest request, RequestTarget target) {
        DecoderResult decoded = request.decoderResult();
        if (decoded.isFailure()) {
            return status(decoded.cause());
        }
        HttpVersion version = request.protocolVersion();
        boolean http11 = version.equals(HttpVersion.HTTP_1_1);
        if (!http11 && !version.equals(HttpVersion.HTTP_1_0)) {
            return 505;
        }
        if (target == null || (http11 && !request.headers().contains(HttpHeaderNames.HOST))) {
            return 400;
        }
        String expect = http11 ? request.headers().get(HttpHeaderNames.EXPECT) : null;
        return expect == null || HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect) ? 0 : 417;
    }

    /** The status for a head the decoder refused. */
    static int status(Throwable cause) {
        if (cause instanceof TooLongHttpHeaderException) {
            return 431;
        }
        if (cause instanceof TooLongHttpLineException) {
            return 414;
        }
        return 400;
    }

    static String message(int status) {
        return switch (status) {
            case 400 -> "The request could not be parsed as HTTP (bad request line, path or header).";
            case 408 -> "The request did not arrive in time.";
            case 413 -> "The request is larger than the gateway accepts.";
            case 414 -> "The request line is longer than the gateway accepts.";
            case 417 -> "The request's Expect header asks for what the gateway does not do (only 100-continue).";
            case 431 -> "The request headers are larger than the gateway accepts.";
            case 505 -> "The HTTP version is not supported.";
            default -> status >= 500 ? "The gateway failed to handle the request." : "The request was refused (HTTP " + status + ").";
        };
    }
}
