package io.llmgw.provider.bedrock;

import io.llmgw.core.stream.DecodingFrameReader;
import io.llmgw.core.stream.FrameReader;
import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.upstream.UpstreamResponse;
import java.io.IOException;
import java.io.InputStream;

/**
 * A ConverseStream answer read one message at a time from a blocking stream: an {@link EventStreamDecoder} fed
 * from it a small chunk at a time, so its frames, bound and failures are the decoder's.
 */
final class EventStreamFrames implements FrameReader {
    private final DecodingFrameReader frames;

    EventStreamFrames(InputStream in) {
        this(in, new EventStreamDecoder());
    }

    private EventStreamFrames(InputStream in, EventStreamDecoder decoder) {
        this.frames = new DecodingFrameReader(in, decoder);
    }

    /** The frames of a streamed answer, or a 502 when the upstream answered with something else. */
    static FrameReader of(UpstreamResponse response) {
        return new EventStreamFrames(response.body(), EventStreamDecoder.of(response.headers()));
    }

    @Override
    public SseEvent next() throws IOException {
        return frames.next();
    }
}
