package io.llmgw.core.stream;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Input streams that deliver bytes the awkward ways a network does. */
final class TestStreams {
    private TestStreams() {}

    /** Returns at most one byte per read, as a slow network would. */
    static final class OneByteInputStream extends InputStream {
        private final byte[] data;
        private int position;

        OneByteInputStream(byte[] data) {
            this.data = data;
        }

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
            b[off] = data[position++];
            return 1;
        }
    }

    /** Delivers the bytes in chunks that end exactly at the given split positions. */
    static final class SplitInputStream extends InputStream {
        private final byte[] data;
        private final List<Integer> bounds = new ArrayList<>();
        private int position;

        SplitInputStream(byte[] data, int... splits) {
            this.data = data;
            for (int s : splits) {
                bounds.add(s);
            }
            bounds.add(data.length);
            Collections.sort(bounds);
        }

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
            int end = data.length;
            for (int bound : bounds) {
                if (bound > position) {
                    end = bound;
                    break;
                }
            }
            int n = Math.min(len, end - position);
            System.arraycopy(data, position, b, off, n);
            position += n;
            return n;
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
