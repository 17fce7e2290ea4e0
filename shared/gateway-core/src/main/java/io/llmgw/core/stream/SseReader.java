package io.llmgw.core.stream;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads server-sent events from a byte stream, one at a time: an {@link SseDecoder} fed from the
 * stream a small chunk at a time, so it parses exactly as the decoder does and holds what the
 * decoder holds plus one chunk.
 */
public final class SseReader implements FrameReader {
    public static final int DEFAULT_MAX_EVENT_BYTES = SseDecoder.DEFAULT_MAX_EVENT_BYTES;

    private final DecodingFrameReader events;

    public SseReader(InputStream in) {
        this(in, DEFAULT_MAX_EVENT_BYTES);
    }

    /** Reads {@code in} with events (and lines) bounded by {@code maxEventBytes}, as {@link SseDecoder} bounds them. */
    public SseReader(InputStream in, int maxEventBytes) {
        this.events = new DecodingFrameReader(in, new SseDecoder(maxEventBytes));
    }

    /** The next event, or null at the end of the stream. */
    @Override
    public SseEvent next() throws IOException {
        return events.next();
    }
}
