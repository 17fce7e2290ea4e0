package io.llmgw.core.stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Decodes an upstream's streamed answer from its bytes as they arrive, whatever its framing: SSE
 * events ({@link SseDecoder}), or another wire's frames (AWS event stream) presented the same way, as
 * an event name and a payload. The push-fed counterpart of {@link FrameReader}: what is fed is never
 * waited for, so the bytes may come from an event loop.
 */
public interface FrameDecoder {
    /**
     * Decodes everything {@code bytes} holds (it is consumed whole), handing each frame it completes
     * to {@code frames} in order; keeps an incomplete frame's bytes for the next call. A frame larger
     * than the decoder's bound ends the stream with {@link SseTooLargeException}; malformed framing
     * with another {@link IOException}.
     */
    void feed(ByteBuffer bytes, Consumer<SseEvent> frames) throws IOException;

    /** The body ended: hands over a complete trailing frame, if the framing has one. */
    void end(Consumer<SseEvent> frames) throws IOException;
}
