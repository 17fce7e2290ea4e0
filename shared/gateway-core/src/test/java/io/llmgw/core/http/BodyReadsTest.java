package io.llmgw.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BodyReadsTest {
    /** A body stream that remembers every array it was asked to fill. */
    private static final class Recording extends InputStream {
        private final ByteArrayInputStream bytes;
        final List<byte[]> arrays = new ArrayList<>();

        Recording(String body) {
            this.bytes = new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public int read() {
            return bytes.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            arrays.add(b);
            return bytes.read(b, off, len);
        }
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Test
    void aDeclaredSmallBodyIsReadIntoItsFinalArray() throws IOException {
        Recording in = new Recording("{\"model\":\"m\"}");
        byte[] body = BodyReads.readAll(in, 13, 1 << 20);
        assertThat(text(body)).isEqualTo("{\"model\":\"m\"}");
        assertThat(in.arrays).first().isSameAs(body);
    }

    @Test
    void aDeclaredLengthIsNeverTrustedForMoreThanTheFirstBuffer() throws IOException {
        Recording in = new Recording("abc");
        byte[] body = BodyReads.readAll(in, 10L * 1024 * 1024, 10 * 1024 * 1024);
        assertThat(text(body)).isEqualTo("abc");
        assertThat(in.arrays).allSatisfy(array -> assertThat(array.length).isLessThanOrEqualTo(BodyReads.EXACT_MAX_BYTES));
    }

    @Test
    void aBodyLongerThanDeclaredIsReadToItsEndWithinTheLimit() throws IOException {
        assertThat(text(BodyReads.readAll(new Recording("abcdef"), 3, 100))).isEqualTo("abcdef");
        assertThat(BodyReads.readAll(new Recording("abcdef"), 3, 5)).isNull();
        assertThat(BodyReads.readAll(new Recording("abcd"), 3, 3)).isNull();
    }

    @Test
    void aBodyShorterThanDeclaredIsWhatArrived() throws IOException {
        assertThat(text(BodyReads.readAll(new Recording("ab"), 5, 100))).isEqualTo("ab");
        assertThat(BodyReads.readAll(new Recording(""), 0, 100)).isEmpty();
    }

    @Test
    void anUndeclaredBodyIsReadInChunksUpToTheLimit() throws IOException {
        char[] large = new char[50_000];
        Arrays.fill(large, 'x');
        String body = new String(large);
        assertThat(text(BodyReads.readAll(new Recording(body), -1, 50_000))).isEqualTo(body);
        assertThat(BodyReads.readAll(new Recording(body), -1, 49_999)).isNull();
        assertThat(text(BodyReads.readAll(new Recording(body), 40_000, 50_000))).isEqualTo(body);
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedWithoutReading() throws IOException {
        Recording in = new Recording("never read");
        assertThat(BodyReads.readAll(in, 11, 10)).isNull();
        assertThat(in.arrays).isEmpty();
    }
}
