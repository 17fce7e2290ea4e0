package io.llmgw.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.error.GatewayException;
import io.llmgw.core.http.Headers;
import io.llmgw.core.model.Block;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.Role;
import io.llmgw.core.spi.CanonicalCall;
import io.llmgw.core.spi.Deployment;
import io.llmgw.core.stream.FrameDecoder;
import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.stream.SseTooLargeException;
import io.llmgw.provider.bedrock.fake.EventStreams;
import io.llmgw.testing.Heap;
import io.llmgw.testing.PushedBytes;
import io.llmgw.testing.PushedBytes.Kind;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * ConverseStream's framing decoded from pushed bytes: {@link EventStreamFramesTest}'s cases pushed every way
 * a network hands bytes over ({@link PushedBytes}), then what is held between feeds.
 */
class EventStreamDecoderTest {
    private static final byte[] START = EventStreams.event("messageStart", "{\"role\":\"assistant\"}");
    private static final byte[] DELTA = EventStreams.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"caf\u00e9\"}}");
    private static final byte[] THROTTLED = EventStreams.exception("throttlingException", "{\"message\":\"slow down\"}");

    // ---- frames ---------------------------------------------------------------------------------

    @Test
    void eventsAndExceptionsBecomeNamedFramesInOrderHoweverTheBytesArrive() throws IOException {
        byte[] stream = concat(START, DELTA, THROTTLED);
        List<String> expected = List.of("messageStart|{\"role\":\"assistant\"}",
                "contentBlockDelta|{\"contentBlockIndex\":0,\"delta\":{\"text\":\"caf\u00e9\"}}",
                "exception:throttlingException|{\"message\":\"slow down\"}");

        assertThat(decodeEveryWay(stream)).isEqualTo(expected);
        Kind[] kinds = Kind.values();
        for (int first = 1; first < stream.length; first++) {
            for (int second = first + 1; second < stream.length; second++) {
                Kind kind = kinds[(first + second) % kinds.length];
                assertThat(describe(decode(stream, kind, first, second))).as("%s split at bytes %d and %d", kind, first, second)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void anErrorMessageCarriesItsCodeAndMessageFromHeaders() throws IOException {
        byte[] error = bytes(new Message(Map.of(":message-type", HeaderValue.fromString("error"),
                ":error-code", HeaderValue.fromString("InternalFailure"),
                ":error-message", HeaderValue.fromString("We encountered an internal error.")), new byte[0]));

        assertThat(decodeEveryWay(error)).containsExactly("error:InternalFailure|{\"message\":\"We encountered an internal error.\"}");
    }

    @Test
    void aMessageOfExactlyTheLimitPassesAndOneByteMoreIsRefused() throws IOException {
        // No headers: the message is its 12-byte prelude, its payload and its 4-byte CRC.
        byte[] largest = bytes(new Message(Map.of(), new byte[EventStreamDecoder.MAX_MESSAGE_BYTES - 16]));
        byte[] tooLarge = bytes(new Message(Map.of(), new byte[EventStreamDecoder.MAX_MESSAGE_BYTES - 15]));

        assertThat(decode(largest, Kind.DIRECT)).singleElement()
                .satisfies(frame -> assertThat(frame.data()).hasSize(EventStreamDecoder.MAX_MESSAGE_BYTES - 16));
        assertThat(decode(largest, Kind.HEAP, 3, 5000, 700_000)).hasSize(1);
        assertThatThrownBy(() -> decode(tooLarge, Kind.HEAP)).isInstanceOf(SseTooLargeException.class);
    }

    @Test
    void bedrocksCallDecodesItsStreamedAnswerWithThisDecoderAndAnythingElseIsA502() throws IOException {
        GatewayConfig.Provider aws = new GatewayConfig.Provider("aws", "bedrock", "key", Duration.ofSeconds(1), Duration.ofSeconds(5),
                null, new BedrockSettings("us-east-1", URI.create("http://127.0.0.1:9"), false));
        CanonicalRequest request = new CanonicalRequest("m", null, List.of(new io.llmgw.core.model.Message(Role.USER,
                List.of(new Block.Text("hi")))), null, null, null, null, null, null, null, null, null, null, true, null);
        CanonicalCall call = new BedrockProvider(aws).canonical(request,
                new Deployment(aws, "us.anthropic.claude-sonnet-4-5-20250929-v1:0", null, null), "req_1");

        FrameDecoder decoder = call.decoder(Headers.of("Content-Type", EventStreamDecoder.CONTENT_TYPE));
        List<SseEvent> frames = new ArrayList<>();
        decoder.feed(ByteBuffer.wrap(START), frames::add);

        assertThat(decoder).isInstanceOf(EventStreamDecoder.class);
        assertThat(frames).extracting(SseEvent::event).containsExactly("messageStart");
        assertThatThrownBy(() -> call.decoder(Headers.of("content-type", "text/event-stream")))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.error().status()).isEqualTo(502));
    }

    // ---- a broken stream ------------------------------------------------------------------------

    @Test
    void aStreamCutInsideAMessageIsAnErrorAtItsEndAfterTheFramesBeforeIt() throws IOException {
        byte[] stream = concat(START, DELTA);
        for (int cut = START.length + 1; cut < stream.length; cut++) {
            EventStreamDecoder decoder = new EventStreamDecoder();
            List<SseEvent> frames = new ArrayList<>();
            PushedBytes.push(Arrays.copyOf(stream, cut), Kind.HEAP, bytes -> decoder.feed(bytes, frames::add), cut / 2);

            assertThat(describe(frames)).as("cut at %d", cut).containsExactly("messageStart|{\"role\":\"assistant\"}");
            assertThatThrownBy(() -> decoder.end(frames::add)).as("cut at %d", cut).isInstanceOf(EOFException.class)
                    .hasMessage("the event stream ended inside a message");
        }
        assertThat(decode(stream, Kind.HEAP, START.length)).as("a stream ending between messages").hasSize(2);
    }

    @Test
    void aDamagedMessageFailsItsChecksumWhereverItLies() {
        byte[] damagedPayload = DELTA.clone();
        damagedPayload[damagedPayload.length - 10] ^= 0x20;
        byte[] damagedPrelude = DELTA.clone();
        damagedPrelude[6] ^= 0x01;  // the headers' length, which the prelude's CRC covers

        for (byte[] damaged : List.of(damagedPayload, damagedPrelude)) {
            byte[] stream = concat(START, damaged);
            for (int[] splits : List.of(new int[0], new int[] {START.length + 20}, PushedBytes.everyByte(stream.length))) {
                List<SseEvent> frames = new ArrayList<>();
                EventStreamDecoder decoder = new EventStreamDecoder();
                assertThatThrownBy(() -> PushedBytes.push(stream, Kind.READ_ONLY, bytes -> decoder.feed(bytes, frames::add), splits))
                        .isInstanceOf(IOException.class).hasMessageStartingWith("a damaged event-stream message");
                assertThat(frames).as("the message before it").hasSize(1);
            }
        }
    }

    @Test
    void aMessageClaimingMoreThanTheLimitIsRefusedOnceItsLengthIsIn() throws IOException {
        for (int claimed : List.of(EventStreamDecoder.MAX_MESSAGE_BYTES + 1, -1)) {
            byte[] prelude = ByteBuffer.allocate(12).putInt(claimed).putInt(0).putInt(0).array();

            assertThatThrownBy(() -> decode(prelude, Kind.HEAP)).isInstanceOf(SseTooLargeException.class);
            EventStreamDecoder decoder = new EventStreamDecoder();
            for (int i = 0; i < 3; i++) {
                decoder.feed(ByteBuffer.wrap(prelude, i, 1), frame -> {});
            }
            assertThatThrownBy(() -> decoder.feed(ByteBuffer.wrap(prelude, 3, 1), frame -> {}))
                    .as("the length's last byte").isInstanceOf(SseTooLargeException.class);
            assertThat(decoder.heldBytes()).isZero();
        }
    }

    @Test
    void aLengthTooSmallForAMessageIsRefused() {
        byte[] prelude = ByteBuffer.allocate(12).putInt(15).putInt(0).putInt(0).array();

        for (int[] splits : List.of(new int[0], PushedBytes.everyByte(prelude.length))) {
            assertThatThrownBy(() -> decode(prelude, Kind.DIRECT, splits)).isInstanceOf(IOException.class)
                    .hasMessageContaining("claims 15 bytes, fewer than its prelude");
        }
    }

    // ---- what is held between feeds -------------------------------------------------------------

    @Test
    void betweenMessagesNothingIsHeldAndWithinOneNoMoreThanIt() throws IOException {
        EventStreamDecoder decoder = new EventStreamDecoder();
        List<SseEvent> frames = new ArrayList<>();

        decoder.feed(ByteBuffer.wrap(concat(START, DELTA)), frames::add);
        assertThat(decoder.heldBytes()).as("whole messages decoded where they lay").isZero();

        decoder.feed(ByteBuffer.wrap(THROTTLED, 0, 3), frames::add);
        assertThat(decoder.heldBytes()).as("part of the length: nothing allocated yet").isZero();
        for (int at = 3; at < THROTTLED.length; at++) {
            decoder.feed(ByteBuffer.wrap(THROTTLED, at, 1), frames::add);
            assertThat(decoder.heldBytes()).isLessThanOrEqualTo(THROTTLED.length);
            if (at >= 4 && at < THROTTLED.length - 1) {
                assertThat(decoder.heldBytes()).as("the incomplete message").isPositive();
            }
        }
        assertThat(decoder.heldBytes()).as("let go once decoded").isZero();
        assertThat(frames).extracting(SseEvent::event).containsExactly("messageStart", "contentBlockDelta",
                "exception:throttlingException");
    }

    @Test
    void aMessageWhollyInOneFeedIsDecodedWhereItLies() throws Exception {
        byte[] large = EventStreams.event("contentBlockDelta", "{\"text\":\"" + "x".repeat(100_000) + "\"}");
        List<SseEvent> frames = new ArrayList<>();
        Heap.Action decode = () -> new EventStreamDecoder().feed(ByteBuffer.wrap(large), frames::add);
        Heap.Action library = () -> Message.decode(ByteBuffer.wrap(large)).getPayload();
        Heap.allocatedBy(decode);  // each once first, so that loading classes and linking call sites is not counted
        Heap.allocatedBy(library);

        long allocated = Heap.allocatedBy(decode);
        long byLibrary = Heap.allocatedBy(library);

        // AWS's library copies the payload out (more than once); a copy of the whole message would be 100 KB more.
        assertThat(allocated - byLibrary).as("allocated beyond the library's own copies").isLessThan(10_000L);
        assertThat(frames).hasSize(2);
    }

    @Test
    void aLargeMessageIsGatheredInABufferGrownTowardsItsLength() throws IOException {
        byte[] large = EventStreams.event("contentBlockDelta", "{\"text\":\"" + "x".repeat(100_000) + "\"}");
        EventStreamDecoder decoder = new EventStreamDecoder();
        List<SseEvent> frames = new ArrayList<>();

        decoder.feed(ByteBuffer.wrap(large, 0, 512), frames::add);
        assertThat(decoder.heldBytes()).as("what has come, not what the length claims").isLessThan(2 * 512);
        PushedBytes.push(Arrays.copyOfRange(large, 512, large.length), Kind.SLICE, bytes -> decoder.feed(bytes, frames::add), 1000, 50_000);

        assertThat(decoder.heldBytes()).isZero();
        assertThat(frames).singleElement().satisfies(frame -> assertThat(frame.data()).hasSize("{\"text\":\"\"}".length() + 100_000));
    }

    // ---- helpers --------------------------------------------------------------------------------

    /**
     * Decodes {@code stream} whole in each kind of buffer, a byte at a time, and split in two at every
     * position (cycling through the kinds); asserts every way gives the same frames, and returns them.
     */
    private static List<String> decodeEveryWay(byte[] stream) throws IOException {
        List<String> expected = describe(decode(stream, Kind.HEAP));
        for (Kind kind : Kind.values()) {
            assertThat(describe(decode(stream, kind))).as("whole, %s", kind).isEqualTo(expected);
        }
        assertThat(describe(decode(stream, Kind.DIRECT, PushedBytes.everyByte(stream.length)))).as("a byte at a time")
                .isEqualTo(expected);
        Kind[] kinds = Kind.values();
        for (int split : PushedBytes.splitPositions(stream.length)) {
            Kind kind = kinds[split % kinds.length];
            assertThat(describe(decode(stream, kind, split))).as("%s split at byte %d", kind, split).isEqualTo(expected);
        }
        return expected;
    }

    private static List<SseEvent> decode(byte[] stream, Kind kind, int... splits) throws IOException {
        EventStreamDecoder decoder = new EventStreamDecoder();
        List<SseEvent> frames = new ArrayList<>();
        PushedBytes.push(stream, kind, bytes -> decoder.feed(bytes, frames::add), splits);
        decoder.end(frames::add);
        return frames;
    }

    private static List<String> describe(List<SseEvent> frames) {
        return frames.stream().map(frame -> frame.event() + "|" + frame.dataText()).toList();
    }

    private static byte[] bytes(Message message) {
        ByteBuffer buffer = message.toByteBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static byte[] concat(byte[]... messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Arrays.stream(messages).forEach(out::writeBytes);
        return out.toByteArray();
    }
}
