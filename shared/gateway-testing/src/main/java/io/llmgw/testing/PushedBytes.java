package io.llmgw.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A stream's bytes pushed to a push-fed decoder the ways a network hands them over: in pieces, in each
 * kind of {@link ByteBuffer} (which the decoder must read through the ByteBuffer API alone), with other
 * bytes around each piece, and each buffer overwritten once the decoder has had it, as a network buffer is
 * reused — so a decoder that kept a reference to fed bytes instead of a copy decodes garbage.
 */
public final class PushedBytes {
    /** Past this length a stream is split every few bytes rather than at every one: its splits mostly fall inside one long line or message, all alike. */
    private static final int EVERY_SPLIT_UP_TO = 4096;

    private PushedBytes() {}

    /** The buffers bytes may be pushed in. */
    public enum Kind {
        /** A heap buffer whose bytes start past the start of its array (its position is not 0). */
        HEAP,
        /** A slice: its array offset is not 0, its position is. */
        SLICE,
        /** A read-only view, which has no accessible array. */
        READ_ONLY,
        DIRECT
    }

    /** What takes the bytes: a decoder's feed. */
    @FunctionalInterface
    public interface Receiver {
        void accept(ByteBuffer bytes) throws IOException;
    }

    /**
     * Pushes {@code stream} to {@code receiver} in pieces ending at {@code splits} (ascending), each in a
     * buffer of {@code kind}; checks each piece was consumed whole.
     */
    public static void push(byte[] stream, Kind kind, Receiver receiver, int... splits) throws IOException {
        int from = 0;
        for (int i = 0; i <= splits.length; i++) {
            int to = i < splits.length ? splits[i] : stream.length;
            push(stream, from, to, kind, receiver);
            from = to;
        }
    }

    /** The splits that push a stream of {@code length} bytes one byte at a time. */
    public static int[] everyByte(int length) {
        int[] splits = new int[Math.max(0, length - 1)];
        for (int i = 0; i < splits.length; i++) {
            splits[i] = i + 1;
        }
        return splits;
    }

    /** Where to split a stream of {@code length} bytes in two: at every position, or every few past a length. */
    public static int[] splitPositions(int length) {
        int step = length <= EVERY_SPLIT_UP_TO ? 1 : 61;
        int[] splits = new int[Math.max(0, (length - 2) / step + 1)];
        for (int i = 0; i < splits.length; i++) {
            splits[i] = 1 + i * step;
        }
        return splits;
    }

    private static void push(byte[] stream, int from, int to, Kind kind, Receiver receiver) throws IOException {
        int length = to - from;
        ByteBuffer backing = kind == Kind.DIRECT ? ByteBuffer.allocateDirect(length + 8) : ByteBuffer.allocate(length + 8);
        // Line ends and a colon around the piece: a decoder reading past its bounds would see them.
        backing.put(0, (byte) 'd').put(1, (byte) '\n').put(2, (byte) ':');
        backing.put(3, stream, from, length).put(length + 3, (byte) '\n').put(length + 4, (byte) '\r');
        ByteBuffer pushed = switch (kind) {
            case HEAP, DIRECT -> backing.limit(length + 3).position(3);
            case SLICE -> backing.slice(3, length);
            case READ_ONLY -> backing.limit(length + 3).position(3).asReadOnlyBuffer();
        };
        assertEquals(kind == Kind.HEAP || kind == Kind.SLICE, pushed.hasArray(), kind + " has an array");
        receiver.accept(pushed);
        assertFalse(pushed.hasRemaining(), "the piece was consumed whole");
        backing.clear();
        for (int i = 0; i < backing.capacity(); i++) {
            backing.put(i, (byte) '\n');
        }
    }
}
