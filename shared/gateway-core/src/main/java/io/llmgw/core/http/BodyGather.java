package io.llmgw.core.http;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A whole body gathered from the pieces a transport pushes as they arrive, with {@link BodyReads}'
 * bound and allocation: an array of the declared length when that is small (no growing, no final
 * copy), never more than {@link BodyReads#EXACT_MAX_BYTES} allocated on a declaration alone.
 */
public final class BodyGather {
    private final int limit;
    private byte[] bytes;
    private int length;
    private boolean over;

    /** @param declaredLength the body's declared length, or a negative number when there is none */
    public BodyGather(long declaredLength, int limit) {
        this.limit = limit;
        this.over = declaredLength > limit;
        this.bytes = new byte[declaredLength < 0 ? 1024 : (int) Math.min(declaredLength, BodyReads.EXACT_MAX_BYTES)];
    }

    /** Adds the piece; false once the body is known to exceed the limit (then nothing more is kept). */
    public boolean add(ByteBuffer piece) {
        int n = piece.remaining();
        if (over || length + (long) n > limit) {
            over = true;
            bytes = null;
            return false;
        }
        if (length + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(limit, Math.max(length + (long) n, bytes.length * 2L)));
        }
        piece.get(bytes, length, n);
        length += n;
        return true;
    }

    /** Whether the body is known to exceed the limit. */
    public boolean over() {
        return over;
    }

    /** The body gathered so far. */
    public byte[] bytes() {
        if (over) {
            throw new IllegalStateException("the body exceeded its limit");
        }
        return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
    }
}
