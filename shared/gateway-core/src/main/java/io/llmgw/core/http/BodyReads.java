package io.llmgw.core.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a whole HTTP body with a bound. A body that declares a small length (Content-Length) goes
 * straight into an array of that size: one read into the final array, no growing buffer and no copy.
 * Before, every request allocated a 16 KB buffer and copied a few hundred bytes out of it; that was
 * 45 % of the bytes the gateway allocated per request (README › Benchmarks). A declared length is a
 * claim, not bytes: nothing larger than {@link #EXACT_MAX_BYTES} is allocated before the bytes arrive,
 * so a caller declaring megabytes and sending nothing costs no more than one declaring a few; and a
 * body longer than declared is still read to its end, bounded, so a wrong declaration changes the cost,
 * never the answer.
 */
public final class BodyReads {
    /** The largest array allocated from a declared length alone, before any byte arrived. */
    static final int EXACT_MAX_BYTES = 16 * 1024;
    /** Chunk size when the length is not declared or is larger than {@link #EXACT_MAX_BYTES}. */
    private static final int CHUNK_BYTES = 8 * 1024;

    private BodyReads() {
    }

    /**
     * The body up to its end, or null as soon as it is known to exceed {@code limit} bytes.
     *
     * @param declaredLength the declared length, or a negative number when there is none
     */
    public static byte[] readAll(InputStream in, long declaredLength, int limit) throws IOException {
        if (declaredLength > limit) {
            return null;
        }
        if (declaredLength < 0 || declaredLength > EXACT_MAX_BYTES) {
            return rest(in, new byte[0], declaredLength, limit);
        }
        byte[] body = new byte[(int) declaredLength];
        int read = in.readNBytes(body, 0, body.length);
        if (read < body.length) {
            return Arrays.copyOf(body, read);  // ended early; the stream reports a truncated body itself where it can
        }
        int next = in.read();
        if (next < 0) {
            return body;
        }
        byte[] more = Arrays.copyOf(body, body.length + 1);
        more[body.length] = (byte) next;
        return rest(in, more, -1, limit);
    }

    /** {@code start}, then the rest of {@code in}, in chunks; null once past {@code limit}. */
    private static byte[] rest(InputStream in, byte[] start, long declaredLength, int limit) throws IOException {
        if (start.length > limit) {
            return null;
        }
        int initial = declaredLength > 0 ? (int) Math.min(declaredLength, EXACT_MAX_BYTES) : 1024;
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(start.length, initial));
        out.write(start, 0, start.length);
        byte[] chunk = new byte[CHUNK_BYTES];
        for (int n; (n = in.read(chunk)) > 0; ) {
            if (out.size() + (long) n > limit) {
                return null;
            }
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }
}
