package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgw.core.http.Headers;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.ReadOnlyHttpHeaders;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** An answer's header lines as Netty's encoder gets them: checked as its own map checks them, the connection's own last. */
class ResponseHeadTest {
    @Test
    void theGatewaysHeadersGoOutInOrderWithTheConnectionsOwnReplacingTheirNames() {
        Headers headers = Headers.of("content-type", "application/json", "date", "Thu, 01 Jan 1970 00:00:00 GMT",
                "x-request-id", "req-1", "vary", "Origin", "vary", "Accept");
        HttpHeaders lines = new ResponseHead(headers, null, HttpHeaderNames.DATE)
                .add(HttpHeaderNames.DATE, "Mon, 07 Dec 2026 12:00:00 GMT").build(200);

        assertThat(lines).isInstanceOf(ReadOnlyHttpHeaders.class);
        assertThat(encode(lines)).isEqualTo("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-request-id: req-1\r\n"
                + "vary: Origin\r\nvary: Accept\r\ndate: Mon, 07 Dec 2026 12:00:00 GMT\r\n\r\n");
    }

    @Test
    void aValueThatWouldSplitTheAnswerOrANameThatIsNoTokenIsRefused() {
        assertThatThrownBy(() -> new ResponseHead(Headers.of("x-gateway-upstream-model", "gpt\r\nset-cookie: a=b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x-gateway-upstream-model");
        assertThatThrownBy(() -> new ResponseHead(Headers.of("x-model", "a\u0000b"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ResponseHead(Headers.of("bad name", "v"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ResponseHead(Headers.of("x(y)", "v"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(new ResponseHead(Headers.of("x-ok", "tab\tand spaces, and \u00e9")).build(200).get("x-ok"))
                .isEqualTo("tab\tand spaces, and \u00e9");
    }

    @Test
    void answersWhoseHeadersTheEncoderEditsGetAnEditableMap() {
        for (int code : new int[] {101, 204, 205}) {
            HttpHeaders lines = new ResponseHead(Headers.of("content-length", "0", "x-a", "1")).build(code);
            lines.remove(HttpHeaderNames.CONTENT_LENGTH);  // what the encoder does to these
            assertThat(lines.get("x-a")).isEqualTo("1");
        }
        HttpHeaders ok = new ResponseHead(Headers.of("content-length", "0")).build(304);
        assertThat(encode(ok, HttpResponseStatus.NOT_MODIFIED)).contains("content-length: 0\r\n");
    }

    private static String encode(HttpHeaders lines) {
        return encode(lines, HttpResponseStatus.OK);
    }

    private static String encode(HttpHeaders lines, HttpResponseStatus status) {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpResponseEncoder());
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER, lines,
                new ReadOnlyHttpHeaders(false)));
        StringBuilder out = new StringBuilder();
        for (ByteBuf piece; (piece = channel.readOutbound()) != null; piece.release()) {
            out.append(piece.toString(StandardCharsets.ISO_8859_1));
        }
        channel.finishAndReleaseAll();
        return out.toString();
    }
}
