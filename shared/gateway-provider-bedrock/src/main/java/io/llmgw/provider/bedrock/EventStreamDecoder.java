package io.llmgw.provider.bedrock;

import io.llmgw.core.http.Headers;
import io.llmgw.core.json.Json;
import io.llmgw.core.spi.UpstreamCall;
import io.llmgw.core.stream.FrameDecoder;
import io.llmgw.core.stream.SseDecoder;
import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.stream.SseTooLargeException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * A ConverseStream answer ({@code application/vnd.amazon.eventstream}) decoded from its bytes as they arrive,
 * each message presented as a frame the stream decoder reads: an event as its {@code :event-type}
 * ({@code messageStart}, {@code contentBlockDelta}, …) with its JSON payload; an exception as
 * {@code exception:<:exception-type>} ({@code exception:throttlingException}) with its {@code {"message"}}
 * payload; an error message as {@code error:<:error-code>} with {@code {"message": <:error-message>}}.
 *
 * <p>Messages are decoded — headers, payload, both CRC checks — by AWS's event-stream library. Its
 * {@code MessageDecoder} is push-based too but allocates a 2 MB buffer per stream; this decoder instead hands
 * {@link Message#decode} a message where it lies in the fed bytes when it lies wholly there, and otherwise
 * gathers that message's bytes alone, in a buffer grown towards the total length its prelude starts with
 * (bounded like an SSE event) and let go once the message is decoded: a stream holds what its incomplete
 * message needs, and nothing between messages.
 */
final class EventStreamDecoder implements FrameDecoder {
    static final String CONTENT_TYPE = "application/vnd.amazon.eventstream";
    static final String EXCEPTION = "exception:";
    static final String ERROR = "error:";
    static final int MAX_MESSAGE_BYTES = SseDecoder.DEFAULT_MAX_EVENT_BYTES;
    /** A message starts with its total length, four bytes big-endian. */
    private static final int LENGTH_BYTES = 4;
    /** The prelude (total length, headers length, prelude CRC) and the message CRC. */
    private static final int SMALLEST_MESSAGE = 16;
    /** The least a message buffer starts at, so that a message arriving in many small pieces is not copied for each. */
    private static final int FIRST_BUFFER = 256;

    /** The incomplete message's total length once its first four bytes have come; until then, those of them that have. */
    private int length;
    /** How many bytes of the incomplete message have come. */
    private int have;
    /** The incomplete message's bytes, its length first, once any after the length have come; else null. */
    private byte[] message;

    /** The decoder for a streamed answer, or a 502 when the upstream answered with something else. */
    static EventStreamDecoder of(Headers responseHeaders) {
        UpstreamCall.requireStreamed(responseHeaders, CONTENT_TYPE);
        return new EventStreamDecoder();
    }

    @Override
    public void feed(ByteBuffer bytes, Consumer<SseEvent> frames) throws IOException {
        int at = bytes.position();
        int limit = bytes.limit();
        while (at < limit) {
            if (have == 0 && limit - at >= LENGTH_BYTES) {
                int total = checkedLength(lengthAt(bytes, at));
                if (limit - at >= total) {
                    frames.accept(decode(bytes.slice(at, total)));
                    at += total;
                    continue;
                }
            }
            at = gather(bytes, at, limit, frames);
        }
        bytes.position(limit);
    }

    @Override
    public void end(Consumer<SseEvent> frames) throws IOException {
        if (have > 0) {
            throw new EOFException("the event stream ended inside a message");
        }
    }

    /** The bytes this decoder holds between feeds: what the incomplete message needs, nothing else. */
    int heldBytes() {
        return message == null ? 0 : message.length;
    }

    /** Adds bytes from {@code at} to the incomplete message, decoding it once complete; returns where it stopped. */
    private int gather(ByteBuffer bytes, int at, int limit, Consumer<SseEvent> frames) throws IOException {
        if (have < LENGTH_BYTES) {
            // Gathered into the length itself: nothing is allocated before the length is known and checked.
            while (have < LENGTH_BYTES && at < limit) {
                length = length << 8 | bytes.get(at++) & 0xff;
                have++;
            }
            if (have < LENGTH_BYTES) {
                return at;
            }
            checkedLength(length);
        }
        int n = Math.min(limit - at, length - have);
        if (n == 0) {
            return at;
        }
        int needed = have + n;
        if (message == null) {
            message = new byte[Math.min(length, Math.max(needed, FIRST_BUFFER))];
            ByteBuffer.wrap(message).putInt(length);
        } else if (needed > message.length) {
            message = Arrays.copyOf(message, Math.min(length, Math.max(needed, message.length * 2)));
        }
        bytes.get(at, message, have, n);
        have = needed;
        if (have == length) {
            ByteBuffer complete = ByteBuffer.wrap(message, 0, length);
            message = null;
            have = 0;
            length = 0;
            frames.accept(decode(complete));
        }
        return at + n;
    }

    private static int lengthAt(ByteBuffer bytes, int at) {
        int value = 0;
        for (int i = 0; i < LENGTH_BYTES; i++) {
            value = value << 8 | bytes.get(at + i) & 0xff;
        }
        return value;
    }

    /** A message's total length, refused before any more of it is read when it is too large or too small to be one. */
    private static int checkedLength(int total) throws IOException {
        if (total > MAX_MESSAGE_BYTES || total < 0) {
            throw new SseTooLargeException(MAX_MESSAGE_BYTES);
        }
        if (total < SMALLEST_MESSAGE) {
            throw new IOException("an event-stream message claims " + total + " bytes, fewer than its prelude and checksum");
        }
        return total;
    }

    /** One whole message, exactly its bytes. */
    private static SseEvent decode(ByteBuffer message) throws IOException {
        try {
            return frame(Message.decode(message));
        } catch (RuntimeException e) {  // a checksum or header the library refuses
            throw new IOException("a damaged event-stream message: " + e.getMessage(), e);
        }
    }

    private static SseEvent frame(Message message) {
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
