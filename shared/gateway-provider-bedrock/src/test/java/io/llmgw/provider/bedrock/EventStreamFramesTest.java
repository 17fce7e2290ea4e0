package io.llmgw.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgw.core.stream.DecodingFrameReader;
import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.stream.SseTooLargeException;
import io.llmgw.provider.bedrock.fake.EventStreams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * ConverseStream's framing: messages encoded by AWS's library, read back one at a time (the decoder behind a
 * pull adapter), and what a broken stream does.
 */
class EventStreamFramesTest {
    private static InputStream stream(byte[]... messages) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Arrays.stream(messages).forEach(bytes::writeBytes);
        return new ByteArrayInputStream(bytes.toByteArray());
    }

    /** One byte per read, as a slow network delivers it: a message is still read whole. */
    private static InputStream trickle(InputStream in) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : in.read(b, off, 1);
            }
        };
    }

    @Test
    void eventsAndExceptionsBecomeNamedFramesInOrder() throws IOException {
        DecodingFrameReader frames = new DecodingFrameReader(trickle(stream(
                EventStreams.event("messageStart", "{\"role\":\"assistant\"}"),
                EventStreams.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}"),
                EventStreams.exception("throttlingException", "{\"message\":\"slow down\"}"))), new EventStreamDecoder());

        SseEvent start = frames.next();
        assertThat(start.event()).isEqualTo("messageStart");
        assertThat(start.dataText()).isEqualTo("{\"role\":\"assistant\"}");
        assertThat(frames.next().dataText()).contains("\"text\":\"Hi\"");
        SseEvent failure = frames.next();
        assertThat(failure.event()).isEqualTo("exception:throttlingException");
        assertThat(failure.dataText()).isEqualTo("{\"message\":\"slow down\"}");
        assertThat(frames.next()).isNull();
    }

    @Test
    void anErrorMessageCarriesItsCodeAndMessageFromHeaders() throws IOException {
        ByteBuffer error = new Message(Map.of(":message-type", HeaderValue.fromString("error"),
                ":error-code", HeaderValue.fromString("InternalFailure"),
                ":error-message", HeaderValue.fromString("We encountered an internal error.")), new byte[0]).toByteBuffer();
        byte[] bytes = new byte[error.remaining()];
        error.get(bytes);

        SseEvent frame = new DecodingFrameReader(stream(bytes), new EventStreamDecoder()).next();

        assertThat(frame.event()).isEqualTo("error:InternalFailure");
        assertThat(frame.dataText()).isEqualTo("{\"message\":\"We encountered an internal error.\"}");
    }

    @Test
    void aStreamCutInsideAMessageIsAnError() {
        byte[] message = EventStreams.event("messageStop", "{\"stopReason\":\"end_turn\"}");

        assertThatThrownBy(() -> new DecodingFrameReader(stream(Arrays.copyOf(message, message.length - 5)), new EventStreamDecoder()).next())
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> new DecodingFrameReader(stream(Arrays.copyOf(message, 2)), new EventStreamDecoder()).next()).isInstanceOf(EOFException.class);
    }

    @Test
    void aDamagedMessageFailsItsChecksum() {
        byte[] message = EventStreams.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}");
        message[message.length - 10] ^= 0x20;

        assertThatThrownBy(() -> new DecodingFrameReader(stream(message), new EventStreamDecoder()).next()).isInstanceOf(IOException.class)
                .hasMessageStartingWith("a damaged event-stream message");
    }

    @Test
    void theMessagesBeforeADamagedOneAreReadBeforeItsError() throws IOException {
        byte[] damaged = EventStreams.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}");
        damaged[damaged.length - 10] ^= 0x20;
        // All in the reader's first chunk, which the decoder decodes at once.
        DecodingFrameReader frames = new DecodingFrameReader(stream(EventStreams.event("messageStart", "{}"), damaged), new EventStreamDecoder());

        assertThat(frames.next().event()).isEqualTo("messageStart");
        assertThatThrownBy(frames::next).isInstanceOf(IOException.class).hasMessageStartingWith("a damaged event-stream message");
    }

    @Test
    void aMessageClaimingMoreThanTheLimitIsRefusedBeforeItIsRead() {
        byte[] prelude = ByteBuffer.allocate(12).putInt(EventStreamDecoder.MAX_MESSAGE_BYTES + 1).putInt(0).putInt(0).array();

        assertThatThrownBy(() -> new DecodingFrameReader(stream(prelude), new EventStreamDecoder()).next()).isInstanceOf(SseTooLargeException.class);
    }

    @Test
    void aLengthTooSmallForAMessageIsRefused() {
        byte[] prelude = ByteBuffer.allocate(12).putInt(8).putInt(0).putInt(0).array();

        assertThatThrownBy(() -> new DecodingFrameReader(stream(prelude), new EventStreamDecoder()).next()).isInstanceOf(IOException.class)
                .hasMessageContaining("fewer than its prelude");
    }
}
