package io.llmgw.core.stream;

import static io.llmgw.core.stream.TestStreams.bytes;
import static io.llmgw.core.stream.TestStreams.events;
import static io.llmgw.core.stream.TestStreams.texts;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.stream.TestStreams.OneByteInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseFramesTest {
    // ---- SseFrames ----------------------------------------------------------------------------

    @Test
    void dataFrameIsExactlyDataSpaceJsonBlankLine() {
        byte[] frame = SseFrames.data(bytes("{\"a\":\"\u00e9\"}"));

        assertThat(frame).isEqualTo(bytes("data: {\"a\":\"\u00e9\"}\n\n"));
    }

    @Test
    void aDataFrameWithOneValueReplaced() {
        byte[] json = bytes("{\"id\":\"c\",\"model\":\"gpt-4o-2024\",\"x\":1}");

        assertThat(SseFrames.data(json, 18, 31, bytes("\"gpt-4o\""))).isEqualTo(bytes("data: {\"id\":\"c\",\"model\":\"gpt-4o\",\"x\":1}\n\n"));
        assertThat(SseFrames.data(bytes("{\"model\":\"m\",\n\"x\":1}"), 9, 12, bytes("\"model-b\"")))
                .as("multi-line data stays multi-line").isEqualTo(bytes("data: {\"model\":\"model-b\",\ndata: \"x\":1}\n\n"));
    }

    @Test
    void eventFrameIsExactlyEventLineThenDataLine() {
        byte[] frame = SseFrames.event("message_start", bytes("{\"type\":\"message_start\"}"));

        assertThat(frame).isEqualTo(bytes("event: message_start\ndata: {\"type\":\"message_start\"}\n\n"));
        assertThat(SseFrames.event("x", bytes("{}"))).isEqualTo(bytes("event: x\ndata: {}\n\n"));
    }

    @Test
    void fixedFrames() {
        assertThat(SseFrames.DONE).isEqualTo(bytes("data: [DONE]\n\n"));
        assertThat(SseFrames.KEEP_ALIVE).isEqualTo(bytes(": keep-alive\n\n"));
    }

    @Test
    void framesRoundTripThroughTheReader() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(SseFrames.KEEP_ALIVE);
        out.write(SseFrames.event("content_block_delta", bytes("{\"text\":\"caf\u00e9 \uD83D\uDE00\"}")));
        out.write(SseFrames.data(bytes("{\"id\":1}")));
        out.write(SseFrames.event("ping", bytes("{\"type\":\"ping\"}")));
        out.write(SseFrames.DONE);
        byte[] stream = out.toByteArray();

        for (InputStream in : List.of(new ByteArrayInputStream(stream), new OneByteInputStream(stream))) {
            List<SseEvent> events = events(new SseReader(in));
            assertThat(events).extracting(SseEvent::event).containsExactly("content_block_delta", null, "ping", null);
            assertThat(texts(events)).containsExactly("{\"text\":\"caf\u00e9 \uD83D\uDE00\"}", "{\"id\":1}",
                    "{\"type\":\"ping\"}", "[DONE]");
            assertThat(events).extracting(SseEvent::isDone).containsExactly(false, false, false, true);
        }
    }
}
