package io.llmgw.core.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.stream.SseReader;
import io.llmgw.core.stream.SseTooLargeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Any bytes as an upstream's event stream. The first input byte sets the event limit (1 to 4,081
 * bytes), the second the size of the pieces the stream arrives in; the rest is the stream. The
 * reader yields events no larger than the limit and ends, at the end of the input or with
 * {@link SseTooLargeException}, never with another exception; and it yields the same events
 * whether the stream arrives whole or in pieces. Seeds: the golden cases' upstream streams.
 */
class SseReaderFuzzTest {
    /** What reading a whole stream gave: its events, and whether it ended on an oversized event. */
    private record Outcome(List<String> events, boolean tooLarge) {}

    @FuzzTest
    void anyBytes(byte[] input) throws IOException {
        int limit = input.length > 0 ? 1 + (input[0] & 0xff) * 16 : 64;
        int piece = input.length > 1 ? 1 + (input[1] & 0x3f) : 1;
        byte[] stream = input.length > 2 ? Arrays.copyOfRange(input, 2, input.length) : new byte[0];

        Outcome whole = read(new ByteArrayInputStream(stream), limit, stream.length);
        Outcome inPieces = read(new PiecesInputStream(stream, piece), limit, stream.length);

        if (!whole.equals(inPieces)) {
            throw new AssertionError("read whole: " + whole + "\nread in pieces of " + piece + ": " + inPieces);
        }
    }

    private static Outcome read(InputStream in, int limit, int length) throws IOException {
        SseReader reader = new SseReader(in, limit);
        List<String> events = new ArrayList<>();
        try {
            for (SseEvent event; (event = reader.next()) != null; ) {
                if (event.data().length > limit) {
                    throw new AssertionError("an event of " + event.data().length + " bytes passed the limit of " + limit);
                }
                events.add(Objects.toString(event.event()) + "|" + Arrays.toString(event.data()));
                // Every event takes at least one line end of input ("data" and a blank line), so
                // more events than bytes means the reader is making them up (or looping).
                if (events.size() > length + 1) {
                    throw new AssertionError("more events than input bytes: " + events.size());
                }
            }
        } catch (SseTooLargeException e) {
            return new Outcome(events, true);
        }
        return new Outcome(events, false);
    }

    /** Hands out at most {@code piece} bytes per read, as a slow upstream's TCP segments would. */
    private static final class PiecesInputStream extends InputStream {
        private final byte[] bytes;
        private final int piece;
        private int position;

        PiecesInputStream(byte[] bytes, int piece) {
            this.bytes = bytes;
            this.piece = piece;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            if (position >= bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(length, piece), bytes.length - position);
            System.arraycopy(bytes, position, into, offset, n);
            position += n;
            return n;
        }
    }
}
