package io.llmgw.provider.bedrock;

import io.llmgw.core.json.Json;
import io.llmgw.core.spi.UpstreamCall;
import io.llmgw.core.stream.FrameReader;
import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.stream.SseReader;
import io.llmgw.core.stream.SseTooLargeException;
import io.llmgw.core.upstream.UpstreamResponse;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Map;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * A ConverseStream answer ({@code application/vnd.amazon.eventstream}) read one message at a time, each presented
 * as a frame the stream decoder reads: an event as its {@code :event-type} ({@code messageStart},
 * {@code contentBlockDelta}, …) with its JSON payload; an exception as {@code exception:<:exception-type>}
 * ({@code exception:throttlingException}) with its {@code {"message"}} payload; an error message as
 * {@code error:<:error-code>} with {@code {"message": <:error-message>}}.
 *
 * <p>Messages are decoded — headers, payload, both CRC checks — by AWS's event-stream library. Its
 * {@code MessageDecoder} is push-based and allocates a 2 MB buffer per stream; this reader instead pulls one
 * message's bytes by the total length its prelude starts with (bounded like an SSE event) and hands them to
 * {@link Message#decode}, so a stream costs what its largest message needs.
 */
final class EventStreamFrames implements FrameReader {
    static final String CONTENT_TYPE = "application/vnd.amazon.eventstream";
    static final String EXCEPTION = "exception:";
    static final String ERROR = "error:";
    /** The prelude (total length, headers length, prelude CRC) and the message CRC. */
    private static final int SMALLEST_MESSAGE = 16;
    static final int MAX_MESSAGE_BYTES = SseReader.DEFAULT_MAX_EVENT_BYTES;

    private final InputStream in;

    EventStreamFrames(InputStream in) {
        this.in = in;
    }

    /** The frames of a streamed answer, or a 502 when the upstream answered with something else. */
    static FrameReader of(UpstreamResponse response) {
        String contentType = response.headers().first("content-type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(CONTENT_TYPE)) {
            throw UpstreamCall.notStreaming(contentType);
        }
        return new EventStreamFrames(response.body());
    }

    @Override
    public SseEvent next() throws IOException {
        byte[] length = in.readNBytes(4);
        if (length.length == 0) {
            return null;
        }
        if (length.length < 4) {
            throw new EOFException("the event stream ended inside a message");
        }
        int total = ByteBuffer.wrap(length).getInt();
        if (total > MAX_MESSAGE_BYTES || total < 0) {
            throw new SseTooLargeException(MAX_MESSAGE_BYTES);
        }
        if (total < SMALLEST_MESSAGE) {
            throw new IOException("an event-stream message claims " + total + " bytes, fewer than its prelude and checksum");
        }
        byte[] message = new byte[total];
        System.arraycopy(length, 0, message, 0, 4);
        if (in.readNBytes(message, 4, total - 4) < total - 4) {
            throw new EOFException("the event stream ended inside a message");
        }
        try {
            return frame(Message.decode(ByteBuffer.wrap(message)));
        } catch (RuntimeException e) {  // a checksum or header the library refuses
            throw new IOException("a damaged event-stream message: " + e.getMessage(), e);
        }
    }

    static SseEvent frame(Message message) {
        Map<String, HeaderValue> headers = message.getHeaders();
        String kind = header(headers, ":message-type");
        return switch (kind == null ? "event" : kind) {
            case "event" -> new SseEvent(header(headers, ":event-type"), message.getPayload());
            case "exception" -> new SseEvent(EXCEPTION + header(headers, ":exception-type"), message.getPayload());
            case "error" -> new SseEvent(ERROR + header(headers, ":error-code"),
                    Json.bytes(Json.object().put("message", header(headers, ":error-message"))));
            default -> new SseEvent(kind + ":", message.getPayload());
        };
    }

    private static String header(Map<String, HeaderValue> headers, String name) {
        HeaderValue value = headers.get(name);
        return value == null ? null : value.getString();
    }
}
