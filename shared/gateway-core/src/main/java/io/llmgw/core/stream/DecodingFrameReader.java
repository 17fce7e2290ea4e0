package io.llmgw.core.stream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * A {@link FrameReader} over a {@link FrameDecoder}: reads the stream a small chunk at a time, feeds
 * each chunk to the decoder and hands out the frames it completes one at a time, so that a blocking
 * stream is decoded exactly as pushed bytes are.
 */
public final class DecodingFrameReader implements FrameReader {
    /**
     * Held for the whole stream, so small: the upstream connection buffers too (reads of up to 512
     * bytes are served from its buffer), and a frame may span any number of reads.
     */
    private static final int CHUNK_BYTES = 512;

    private final InputStream in;
    private final FrameDecoder decoder;
    private final byte[] chunk = new byte[CHUNK_BYTES];
    private final ByteBuffer chunkBuffer = ByteBuffer.wrap(chunk);
    /** The frames of the last chunk not handed out yet: as many as one chunk completes. */
    private final ArrayDeque<SseEvent> decoded = new ArrayDeque<>(2);
    private final Consumer<SseEvent> enqueue = decoded::add;
    private boolean ended;
    private IOException failure;

    public DecodingFrameReader(InputStream in, FrameDecoder decoder) {
        this.in = in;
        this.decoder = decoder;
    }

    @Override
    public SseEvent next() throws IOException {
        while (true) {
            SseEvent frame = decoded.poll();
            if (frame != null) {
                return frame;
            }
            if (failure != null) {
                throw failure;
            }
            if (ended) {
                return null;
            }
            int n = in.read(chunk, 0, chunk.length);
            try {
                if (n <= 0) {
                    ended = true;
                    decoder.end(enqueue);
                } else {
                    decoder.feed(chunkBuffer.clear().limit(n), enqueue);
                }
            } catch (IOException e) {
                // Thrown once the frames before it are read, as a reader parsing one frame at a time would.
                failure = e;
            }
        }
    }
}
