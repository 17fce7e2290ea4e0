package io.llmgw.netty;

import io.llmgw.core.upstream.UpstreamRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;

/** An {@link UpstreamRequest} as the HTTP/1.1 request Netty's codec writes. */
final class Requests {
    private Requests() {}

    /**
     * The request: a POST of the body with its Content-Length, or a GET without one; Host as the URI
     * names it (with its port when the URI has one, as Apache's client writes it); the request's own
     * headers but {@link UpstreamRequest#TRANSPORT_HEADERS}. The body is wrapped, not copied. An
     * {@link IllegalArgumentException} for a header Netty refuses to write.
     */
    static FullHttpRequest encode(UpstreamRequest request) {
        URI uri = request.uri();
        byte[] body = request.body();
        ByteBuf content = body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
        // every line checked: a forwarded or configured value with a line break would split the header section
        HeaderLines lines = new HeaderLines()
                .add(HttpHeaderNames.HOST, uri.getPort() >= 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost());
        // Headers keeps every name in lower case, so the set's lower-case names are all a lookup needs
        request.headers().forEach((name, value) -> {
            if (!UpstreamRequest.TRANSPORT_HEADERS.contains(name)) {
                lines.add(name, value);
            }
        });
        if (body != null) {
            lines.add(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
        }
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, body == null ? HttpMethod.GET : HttpMethod.POST, target(uri),
                content, lines.readOnly(), EmptyHttpHeaders.INSTANCE);
    }

    /** The request target: the path as the URI spells it (or {@code /}) and its query. */
    private static String target(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }
}
