package io.llmgw.core.stream;

import java.io.IOException;

/**
 * Reads an upstream's streamed answer one frame at a time, whatever its framing: SSE events
 * ({@link SseReader}), or another wire's frames (AWS event stream) presented the same way, as an
 * event name and a payload.
 */
public interface FrameReader {
    /** The next frame, or null at the end of the stream. */
    SseEvent next() throws IOException;
}
