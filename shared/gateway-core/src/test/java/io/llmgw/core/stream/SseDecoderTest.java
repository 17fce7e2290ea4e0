package io.llmgw.core.stream;

import static io.llmgw.core.stream.SseReaderTest.describe;
import static io.llmgw.core.stream.TestStreams.bytes;
import static io.llmgw.core.stream.TestStreams.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgw.testing.Heap;
import io.llmgw.testing.PushedBytes;
import io.llmgw.testing.PushedBytes.Kind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The push decoder on {@link SseReaderTest}'s cases, fed every way a network hands bytes over: whole,
 * a byte at a time, split at every position, in heap, read-only and direct buffers that are reused
 * once each feed returns ({@link PushedBytes}); then its bound, and what it holds between feeds.
 */
class SseDecoderTest {
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    // ---- SseReaderTest's cases, fed every way ---------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.llmgw.core.stream.SseReaderTest#dataOfEachEvent")
    void dataOfEachEvent(String stream, List<String> data) throws IOException {
        assertThat(texts(decodeEveryWay(bytes(stream)))).containsExactlyElementsOf(data);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.llmgw.core.stream.SseReaderTest#namesAndDataOfEachEvent")
    void namesAndDataOfEachEvent(String stream, List<String> events) throws IOException {
        assertThat(describe(decodeEveryWay(bytes(stream)))).containsExactlyElementsOf(events);
    }

    @ParameterizedTest(name = "trailing {0}")
    @MethodSource("io.llmgw.core.stream.SseReaderTest#completeTrailingEventAtEofIsDispatched")
    void completeTrailingEventAtTheEndIsDispatched(String tail) throws IOException {
        assertThat(texts(decodeEveryWay(bytes("data: first\n\n" + tail)))).containsExactly("first", "last");
    }

    @Test
    void everySplitAndEveryPairOfSplitsDecodeIdentically() throws IOException {
        byte[] stream = SseReaderTest.MIXED_STREAM;
        assertThat(describe(decodeEveryWay(stream))).isEqualTo(SseReaderTest.MIXED_EVENTS);

        Kind[] kinds = Kind.values();
        for (int first = 1; first < stream.length; first++) {
            for (int second = first + 1; second < stream.length; second++) {
                Kind kind = kinds[(first + second) % kinds.length];
                assertThat(describe(decode(new SseDecoder(), stream, kind, first, second)))
                        .as("%s split at bytes %d and %d", kind, first, second).isEqualTo(SseReaderTest.MIXED_EVENTS);
            }
        }
    }

    @Test
    void multiByteCharactersInNamesAndDataDecodeWholeWhereverSplit() throws IOException {
        String text = "event: caf\u00e9\ndata: {\"t\":\"\u65e5\u672c \uD83D\uDE00\"}\ndata: \u00e9\n\n";

        assertThat(describe(decodeEveryWay(bytes(text)))).containsExactly("caf\u00e9|{\"t\":\"\u65e5\u672c \uD83D\uDE00\"}\n\u00e9");
    }

    // ---- line ends and the BOM across feeds -----------------------------------------------------

    @Test
    void aCrAndAnLfInSeparateFeedsAreOneLineEndEvenWithAnEmptyFeedBetween() throws IOException {
        SseDecoder decoder = new SseDecoder();
        List<SseEvent> events = new ArrayList<>();

        for (String piece : List.of("data: a\r", "", "\ndata: b\r", "\n\r", "", "\n")) {
            decoder.feed(ByteBuffer.wrap(bytes(piece)), events::add);
        }
        decoder.end(events::add);

        // Were each CR LF two line ends, "a" would be dispatched alone by the first LF.
        assertThat(texts(events)).containsExactly("a\nb");
    }

    @Test
    void aBomIsSkippedWhereverItIsSplitButOnlyAtTheStart() throws IOException {
        byte[] stream = SseReaderTest.concat(BOM, bytes("data: a\n\ndata: "), BOM, bytes("b\n\n"));

        assertThat(texts(decodeEveryWay(stream))).containsExactly("a", "\uFEFFb");
    }

    @Test
    void theStartOfABomFollowedByOtherBytesIsPartOfTheFirstLine() throws IOException {
        // "\xEF\xBBdata: a" is no data line, so its event has no data; dropping the two bytes would make it one.
        byte[] stream = SseReaderTest.concat(Arrays.copyOf(BOM, 2), bytes("data: a\n\ndata: b\n\n"));

        assertThat(texts(decodeEveryWay(stream))).containsExactly("b");
    }

    // ---- the bound ------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aLineWhollyInOneFeedIsBoundedLikeOneSpreadOverFeeds(Kind kind) throws IOException {
        int limit = 64;
        String exact = "data: " + "a".repeat(limit - 6);

        assertThat(describe(decode(new SseDecoder(limit), bytes(exact + "\n\n"), kind))).hasSize(1);
        assertThatThrownBy(() -> decode(new SseDecoder(limit), bytes(exact + "a\n\n"), kind))
                .isInstanceOf(SseTooLargeException.class).hasMessageContaining("64");
        assertThatThrownBy(() -> decode(new SseDecoder(limit), bytes(":" + "c".repeat(limit) + "\n\n"), kind))
                .as("a comment too").isInstanceOf(SseTooLargeException.class);
        assertThatThrownBy(() -> decode(new SseDecoder(limit), bytes(exact + "a\n\n"), kind, 10, 40))
                .as("spread over feeds").isInstanceOf(SseTooLargeException.class);
    }

    @Test
    void aLongLineThrowsOnceItPassesTheDefaultBoundNotAtItsEnd() throws IOException {
        int limit = 1024 * 1024;
        SseDecoder decoder = new SseDecoder();
        ByteBuffer piece = ByteBuffer.wrap(bytes("data: " + "x".repeat(506)));
        long fed = 0;
        try {
            while (fed < 2L * limit) {
                decoder.feed(piece.clear(), e -> {});
                fed += piece.capacity();
                assertThat(decoder.heldBytes()).isLessThanOrEqualTo(limit);
            }
        } catch (SseTooLargeException e) {
            assertThat(e).hasMessageContaining(String.valueOf(limit));
        }
        assertThat(fed).isGreaterThanOrEqualTo(limit - 512).isLessThanOrEqualTo(limit);
    }

    @Test
    void theDefaultBoundIsOneMegabyteOfLine() throws IOException {
        String exact = "data: " + "y".repeat(SseDecoder.DEFAULT_MAX_EVENT_BYTES - 6);

        assertThat(decode(new SseDecoder(), bytes(exact + "\n\n"), Kind.HEAP)).singleElement()
                .satisfies(e -> assertThat(e.data()).hasSize(SseDecoder.DEFAULT_MAX_EVENT_BYTES - 6));
        assertThatThrownBy(() -> decode(new SseDecoder(), bytes(exact + "y\n\n"), Kind.DIRECT))
                .isInstanceOf(SseTooLargeException.class);
        assertThat(SseReader.DEFAULT_MAX_EVENT_BYTES).isEqualTo(SseDecoder.DEFAULT_MAX_EVENT_BYTES).isEqualTo(1024 * 1024);
    }

    @Test
    void anEventOverTheBoundSpreadOverManyFeedsThrowsAfterTheEventsBeforeIt() throws IOException {
        int limit = 64;
        String line = "data: " + "d".repeat(30) + "\n";  // 30 + 1 + 30 = 61 bytes of data fit, 92 do not
        SseDecoder decoder = new SseDecoder(limit);
        List<SseEvent> events = new ArrayList<>();

        for (String piece : List.of(line, line, "\n", line, line)) {
            decoder.feed(ByteBuffer.wrap(bytes(piece)), events::add);
        }
        assertThat(events).singleElement().satisfies(e -> assertThat(e.data()).hasSize(61));
        assertThatThrownBy(() -> decoder.feed(ByteBuffer.wrap(bytes(line)), events::add)).isInstanceOf(SseTooLargeException.class);
    }

    @Test
    void eventsBeforeAnOversizedLineInTheSameFeedAreHandedOverFirst() {
        List<SseEvent> events = new ArrayList<>();

        assertThatThrownBy(() -> new SseDecoder(64).feed(ByteBuffer.wrap(bytes("data: a\n\ndata: b\n\n" + "c".repeat(65) + "\n")), events::add))
                .isInstanceOf(SseTooLargeException.class);
        assertThat(texts(events)).containsExactly("a", "b");
    }

    @Test
    void theBoundIsPerEventNotPerStream() throws IOException {
        String event = "data: " + "e".repeat(50) + "\n\n";

        assertThat(decodeEveryWay(bytes(event.repeat(40)), 64)).hasSize(40);
    }

    // ---- what is held between feeds -------------------------------------------------------------

    @Test
    void betweenEventsNothingIsHeldWhateverTheEventsWere() throws IOException {
        SseDecoder decoder = new SseDecoder();
        List<SseEvent> events = new ArrayList<>();
        String big = "z".repeat(200_000);

        for (String piece : List.of(": keep-alive\n\n", "data: small\n\n", "event: x\ndata: " + big + "\ndata: two\n\n",
                "\n\n\r\n", "data: a\n\n")) {
            decoder.feed(ByteBuffer.wrap(bytes(piece)), events::add);
            assertThat(decoder.heldBytes()).as("after %s", piece.length() > 20 ? "the big event" : piece).isZero();
        }
        assertThat(texts(events)).containsExactly("small", big + "\ntwo", "a");
    }

    @Test
    void anIncompleteLineIsHeldInASpillBufferLetGoWhenTheLineEnds() throws IOException {
        SseDecoder decoder = new SseDecoder();
        List<SseEvent> events = new ArrayList<>();

        decoder.feed(ByteBuffer.wrap(bytes(": a comment in two parts")), events::add);
        assertThat(decoder.heldBytes()).as("a small spill buffer").isEqualTo(256);
        decoder.feed(ByteBuffer.wrap(bytes(", done\n")), events::add);
        assertThat(decoder.heldBytes()).isZero();

        decoder.feed(ByteBuffer.wrap(bytes("data: " + "x".repeat(1000))), events::add);
        assertThat(decoder.heldBytes()).as("the partial line").isBetween(1006, 2 * 1006);
        decoder.feed(ByteBuffer.wrap(bytes("\n")), events::add);
        assertThat(decoder.heldBytes()).as("only the pending event's data, copied out of the spill").isEqualTo(1000);
        decoder.feed(ByteBuffer.wrap(bytes("\n")), events::add);
        assertThat(decoder.heldBytes()).isZero();
        assertThat(events).singleElement().satisfies(e -> assertThat(e.data()).hasSize(1000));
    }

    @Test
    void anEventWhollyInOneFeedIsCopiedOnceIntoTheEvent() throws Exception {
        byte[] stream = bytes("event: big\ndata: " + "q".repeat(100_000) + "\n\n");
        List<SseEvent> events = new ArrayList<>();
        Heap.Action decode = () -> new SseDecoder().feed(ByteBuffer.wrap(stream), events::add);
        Heap.allocatedBy(decode);  // once first, so that loading classes and linking call sites is not counted

        long allocated = Heap.allocatedBy(decode);

        assertThat(allocated).as("the event's data and little else").isBetween(100_000L, 120_000L);
        assertThat(events).hasSize(2).allSatisfy(e -> assertThat(e.data()).hasSize(100_000));
    }

    @Test
    void anEventLeftIncompleteByAFeedKeepsItsDataNotTheFedBuffer() throws IOException {
        SseDecoder decoder = new SseDecoder();
        List<SseEvent> events = new ArrayList<>();
        byte[] network = bytes("event: e\ndata: first\n");

        decoder.feed(ByteBuffer.wrap(network), events::add);
        assertThat(decoder.heldBytes()).as("the data line's value, exactly").isEqualTo(5);
        Arrays.fill(network, (byte) '#');  // the buffer is the network's again
        decoder.feed(ByteBuffer.wrap(bytes("\n")), events::add);

        assertThat(describe(events)).containsExactly("e|first");
    }

    @Test
    void aStreamOfOnlyPartOfABomHoldsItUntilTheNextBytes() throws IOException {
        SseDecoder decoder = new SseDecoder();
        List<SseEvent> events = new ArrayList<>();

        decoder.feed(ByteBuffer.wrap(Arrays.copyOf(BOM, 2)), events::add);
        decoder.end(events::add);

        assertThat(events).isEmpty();
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static List<SseEvent> decodeEveryWay(byte[] stream) throws IOException {
        return decodeEveryWay(stream, SseDecoder.DEFAULT_MAX_EVENT_BYTES);
    }

    /**
     * Decodes {@code stream} whole in each kind of buffer, a byte at a time, and split in two at every
     * position (cycling through the kinds); asserts every way gives the same events, and returns them.
     */
    private static List<SseEvent> decodeEveryWay(byte[] stream, int limit) throws IOException {
        List<SseEvent> whole = decode(new SseDecoder(limit), stream, Kind.HEAP);
        List<String> expected = describe(whole);
        for (Kind kind : Kind.values()) {
            assertThat(describe(decode(new SseDecoder(limit), stream, kind))).as("whole, %s", kind).isEqualTo(expected);
        }
        assertThat(describe(decode(new SseDecoder(limit), stream, Kind.DIRECT, PushedBytes.everyByte(stream.length))))
                .as("a byte at a time").isEqualTo(expected);
        Kind[] kinds = Kind.values();
        for (int split : PushedBytes.splitPositions(stream.length)) {
            Kind kind = kinds[split % kinds.length];
            assertThat(describe(decode(new SseDecoder(limit), stream, kind, split))).as("%s split at byte %d", kind, split)
                    .isEqualTo(expected);
        }
        return whole;
    }

    /** Pushes {@code stream} in pieces ending at {@code splits} (ascending), then ends it; the events in order. */
    private static List<SseEvent> decode(SseDecoder decoder, byte[] stream, Kind kind, int... splits) throws IOException {
        List<SseEvent> events = new ArrayList<>();
        PushedBytes.push(stream, kind, bytes -> decoder.feed(bytes, events::add), splits);
        decoder.end(events::add);
        return events;
    }
}
