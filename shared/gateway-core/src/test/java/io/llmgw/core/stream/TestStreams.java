package io.llmgw.core.stream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Input streams that deliver bytes the awkward ways a network does, and reading what an {@link SseReader} makes of them. */
final class TestStreams {
    private TestStreams() {}

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Every event the reader yields, to the end of its stream. */
    static List<SseEvent> events(SseReader reader) throws IOException {
        List<SseEvent> events = new ArrayList<>();
        for (SseEvent e = reader.next(); e != null; e = reader.next()) {
            events.add(e);
        }
        return events;
    }

    static List<String> texts(List<SseEvent> events) {
        return events.stream().map(SseEvent::dataText).toList();
    }

    /** Bytes handed out in chunks: each read stops at the end of the chunk it starts in. */
    private abstract static class ChunkedInputStream extends InputStream {
        private final byte[] data;
        private int position;

        ChunkedInputStream(byte[] data) {
            this.data = data;
        }

        /** Where the chunk that holds {@code position} ends. */
        abstract int chunkEnd(int position);

        @Override
        public int read() {
            return position < data.length ? data[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (position >= data.length) {
                return -1;
            }
            int n = Math.min(len, Math.min(data.length, chunkEnd(position)) - position);
            System.arraycopy(data, position, b, off, n);
            position += n;
            return n;
        }
    }

    /** Returns at most one byte per read, as a slow network would. */
    static final class OneByteInputStream extends ChunkedInputStream {
        OneByteInputStream(byte[] data) {
            super(data);
        }

        @Override
        int chunkEnd(int position) {
            return position + 1;
        }
    }

    /** Delivers the bytes in chunks that end exactly at the given split positions. */
    static final class SplitInputStream extends ChunkedInputStream {
        private final TreeSet<Integer> bounds = new TreeSet<>();

        SplitInputStream(byte[] data, int... splits) {
            super(data);
            for (int s : splits) {
                bounds.add(s);
            }
            bounds.add(data.length);
        }

        @Override
        int chunkEnd(int position) {
            return bounds.higher(position);
        }
    }

    static final class CountingInputStream extends InputStream {
        private final InputStream in;
        long count;

        CountingInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
