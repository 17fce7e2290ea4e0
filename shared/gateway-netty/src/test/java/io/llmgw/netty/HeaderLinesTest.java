package io.llmgw.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Header lines as Netty's encoder gets them: checked as Netty's own map checks them, in the order given. */
class HeaderLinesTest {
    @Test
    void theLinesAreWrittenInOrderRepeatedNamesIncluded() {
        HttpHeaders lines = new HeaderLines().add("content-type", "application/json").add("vary", "Origin")
                .add("x-request-id", "req-1").add("vary", "Accept").add(HttpHeaderNames.DATE, "Mon, 07 Dec 2026 12:00:00 GMT")
                .readOnly();

        assertThat(lines.getAll("vary")).containsExactly("Origin", "Accept");
        assertThat(encode(lines)).isEqualTo("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nvary: Origin\r\n"
                + "x-request-id: req-1\r\nvary: Accept\r\ndate: Mon, 07 Dec 2026 12:00:00 GMT\r\n\r\n");
    }

    @Test
    void aValueThatWouldSplitTheHeaderSectionOrANameThatIsNoTokenIsRefused() {
        HeaderLines lines = new HeaderLines();
        assertThatThrownBy(() -> lines.add("x-gateway-upstream-model", "gpt\r\nset-cookie: a=b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x-gateway-upstream-model");
        assertThatThrownBy(() -> lines.add("x-model", "a\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> lines.add("x-model", "a\u0000b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> lines.add("bad name", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> lines.add("x(y)", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> lines.add("", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThat(lines.add("x-ok", "tab\tand spaces, and \u00e9").readOnly().names()).containsExactly("x-ok");
    }

    @Test
    void editableLinesAreNettysOwnMapWithTheSameLines() {
        HttpHeaders lines = new HeaderLines().add("content-length", "0").add("x-a", "1").add("x-a", "2").editable();
        lines.remove(HttpHeaderNames.CONTENT_LENGTH);  // what the encoder does to a 204's
        assertThat(lines.getAll("x-a")).containsExactly("1", "2");
        assertThat(encode(lines, HttpResponseStatus.NO_CONTENT)).isEqualTo("HTTP/1.1 204 No Content\r\nx-a: 1\r\nx-a: 2\r\n\r\n");
    }

    private static String encode(HttpHeaders lines) {
        return encode(lines, HttpResponseStatus.OK);
    }

    private static String encode(HttpHeaders lines, HttpResponseStatus status) {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpResponseEncoder());
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER, lines,
                EmptyHttpHeaders.INSTANCE));
        StringBuilder out = new StringBuilder();
        for (ByteBuf piece; (piece = channel.readOutbound()) != null; piece.release()) {
            out.append(piece.toString(StandardCharsets.ISO_8859_1));
        }
        channel.finishAndReleaseAll();
        return out.toString();
    }
}
