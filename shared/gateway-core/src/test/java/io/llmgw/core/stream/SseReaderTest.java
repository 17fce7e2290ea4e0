package io.llmgw.core.stream;

import static io.llmgw.core.stream.TestStreams.bytes;
import static io.llmgw.core.stream.TestStreams.events;
import static io.llmgw.core.stream.TestStreams.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.llmgw.core.stream.TestStreams.CountingInputStream;
import io.llmgw.core.stream.TestStreams.OneByteInputStream;
import io.llmgw.core.stream.TestStreams.SplitInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SseReaderTest {
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    // ---- line endings -------------------------------------------------------------------------

    @ParameterizedTest(name = "line end {0}")
    @ValueSource(strings = {"\n", "\r\n", "\r"})
    void everyLineEndingSeparatesLinesAndEvents(String eol) throws IOException {
        String stream = "event: a" + eol + "data: one" + eol + "data: two" + eol + eol
                + "data: three" + eol + eol;

        List<SseEvent> events = readAll(stream);

        assertThat(events).hasSize(2);
        assertThat(events.get(0).event()).isEqualTo("a");
        assertThat(events.get(0).dataText()).isEqualTo("one\ntwo");
        assertThat(events.get(1).event()).isNull();
        assertThat(events.get(1).dataText()).isEqualTo("three");
    }

    @Test
    void crLfSplitAcrossReadsIsStillOneLineEnd() throws IOException {
        byte[] bytes = bytes("data: a\r\ndata: b\r\n\r\n");
        for (int split = 1; split < bytes.length; split++) {
            List<SseEvent> events = readAll(new SplitInputStream(bytes, split));
            assertThat(texts(events)).as("split at %d", split).containsExactly("a\nb");
        }
    }

    // ---- what each event carries -------------------------------------------------------------

    /** Streams and the data of the events they yield, in order. */
    static Stream<Arguments> dataOfEachEvent() {
        String big = "\u00e9".repeat(10_000) + "\uD83D\uDE00".repeat(3_000);
        return Stream.of(
                // line endings
                arguments(named("mixed line endings in one stream", "data: a\r\n\r\ndata: b\r\rdata: c\n\ndata: d\r\n\n"),
                        List.of("a", "b", "c", "d")),
                // Were CR LF two line ends, the LF would be a blank line dispatching "a" alone.
                arguments(named("CR LF counts as one line end, not two", "data: a\r\ndata: b\r\n\r\n"), List.of("a\nb")),
                arguments(named("CR CR is two line ends", "data: a\r\rdata: b\r\r"), List.of("a", "b")),
                // fields: exactly one leading space is stripped, no more
                arguments(named("data with and without the space after the colon", "data: spaced\n\ndata:tight\n\ndata:  two spaces\n\n"),
                        List.of("spaced", "tight", " two spaces")),
                arguments(named("multi-line data is joined with LF", "data: {\"a\":\ndata: 1}\ndata:\ndata: end\n\n"),
                        List.of("{\"a\":\n1}\n\nend")),
                arguments(named("a data value keeps trailing spaces and colons", "data: a: b:c  \n\n"), List.of("a: b:c  ")),
                arguments(named("comment lines are skipped", ": keep-alive\n\ndata: a\n: in the middle\ndata: b\n\n:\n\n"),
                        List.of("a\nb")),
                // WHATWG: "data" alone appends an empty line, so the event is dispatched with empty data.
                arguments(named("a field without colon is a name with an empty value", "data\n\ndata\ndata: x\n\n"), List.of("", "\nx")),
                arguments(named("blank lines between and before events dispatch nothing", "\n\n\r\n\rdata: a\n\n\n\n\ndata: b\n\n\n"),
                        List.of("a", "b")),
                arguments(named("an empty stream yields no event", ""), List.of()),
                arguments(named("only comments yield no event", ": a\n: b\n\n"), List.of()),
                arguments(named("a lone line end yields no event", "\n"), List.of()),
                // end of stream
                arguments(named("a trailing event without data is not dispatched", "data: a\n\nevent: x"), List.of("a")),
                arguments(named("a trailing comment is no event", "data: a\n\n: comment"), List.of("a")),
                arguments(named("reads longer than the internal buffer are reassembled", "data: " + big + "\n\ndata: next\n\n"),
                        List.of(big, "next")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void dataOfEachEvent(String stream, List<String> data) throws IOException {
        assertThat(texts(readAll(stream))).containsExactlyElementsOf(data);
    }

    /** Streams and the events they yield, as {@code name|data} ({@code null|…} for an unnamed event). */
    static Stream<Arguments> namesAndDataOfEachEvent() {
        return Stream.of(
                arguments(named("an event name is reported and reset after dispatch",
                        "event: message_start\ndata: {}\n\nevent:ping\ndata: p\n\ndata: plain\n\n"),
                        List.of("message_start|{}", "ping|p", "null|plain")),
                arguments(named("id, retry and unknown fields are ignored", "id: 7\nretry: 1000\nfoo: bar\nDATA: upper\nevent_x: y\ndata: kept\nid\n\n"),
                        List.of("null|kept")),
                arguments(named("an event without data is not dispatched and its name does not leak",
                        "event: x\n\nevent: y\nid: 3\n\ndata: after\n\n"), List.of("null|after")),
                arguments(named("a trailing event keeps its event name", "event: message_stop\ndata: {}"), List.of("message_stop|{}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void namesAndDataOfEachEvent(String stream, List<String> events) throws IOException {
        assertThat(describe(readAll(stream))).containsExactlyElementsOf(events);
    }

    // ---- end of stream ------------------------------------------------------------------------

    /** How a stream may end after its last event's data: without a line end, with one, or with a name before it. */
    static Stream<String> completeTrailingEventAtEofIsDispatched() {
        return Stream.of("data: last", "data: last\n", "data: last\r", "data: last\r\n", "event: e\ndata: last");
    }

    @ParameterizedTest(name = "trailing {0}")
    @MethodSource
    void completeTrailingEventAtEofIsDispatched(String tail) throws IOException {
        List<SseEvent> events = readAll("data: first\n\n" + tail);

        assertThat(texts(events)).containsExactly("first", "last");
    }

    @Test
    void nextKeepsReturningNullAfterTheEnd() throws IOException {
        SseReader reader = new SseReader(new ByteArrayInputStream(bytes("data: a\n\n")));

        assertThat(reader.next().dataText()).isEqualTo("a");
        assertThat(reader.next()).isNull();
        assertThat(reader.next()).isNull();
    }

    // ---- BOM and UTF-8 ------------------------------------------------------------------------

    @Test
    void leadingBomIsStripped() throws IOException {
        byte[] stream = concat(BOM, bytes("data: x\n\n"));

        assertThat(texts(readAll(new ByteArrayInputStream(stream)))).containsExactly("x");
    }

    @Test
    void leadingBomIsStrippedWhenItArrivesOneByteAtATime() throws IOException {
        byte[] stream = concat(BOM, bytes("data: x\n\n"));

        assertThat(texts(readAll(new OneByteInputStream(stream)))).containsExactly("x");
    }

    @Test
    void onlyTheFirstBomIsStrippedAndOnlyAtTheStart() throws IOException {
        // A BOM that is not the first thing in the stream is ordinary data.
        byte[] stream = concat(bytes("data: a\n\ndata: "), BOM, bytes("b\n\n"));

        assertThat(texts(readAll(new ByteArrayInputStream(stream)))).containsExactly("a", "\uFEFFb");
    }

    @Test
    void multiByteCharactersDecodeWholeWhenReadOneByteAtATime() throws IOException {
        String text = "event: caf\u00e9\ndata: {\"t\":\"caf\u00e9 \u65e5\u672c \uD83D\uDE00\"}\ndata: \u00e9\u00e9\n\n";

        List<SseEvent> events = readAll(new OneByteInputStream(bytes(text)));

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.event()).isEqualTo("caf\u00e9");
            assertThat(e.dataText()).isEqualTo("{\"t\":\"caf\u00e9 \u65e5\u672c \uD83D\uDE00\"}\n\u00e9\u00e9");
            assertThat(e.data()).isEqualTo(bytes("{\"t\":\"caf\u00e9 \u65e5\u672c \uD83D\uDE00\"}\n\u00e9\u00e9"));
        });
    }

    /**
     * A stream with a BOM, every line end, multi-byte characters (split by most splits of it) and a
     * trailing event: the one every split of is tried.
     */
    static final byte[] MIXED_STREAM = concat(BOM, bytes("event: \u65e5\u672c\r\ndata: caf\u00e9\r\ndata: \uD83D\uDE00!\r\n\r\n"
            + ": \u00e9 comment\rdata: [DONE]\r\r"
            + "data: tail \u65e5\uD83D\uDE00"));
    /** The events of {@link #MIXED_STREAM}, as {@code name|data}. */
    static final List<String> MIXED_EVENTS = List.of("\u65e5\u672c|caf\u00e9\n\uD83D\uDE00!", "null|[DONE]",
            "null|tail \u65e5\uD83D\uDE00");

    @Test
    void everySplitPositionDecodesIdentically() throws IOException {
        byte[] stream = MIXED_STREAM;
        List<String> expected = describe(readAll(new ByteArrayInputStream(stream)));
        assertThat(expected).isEqualTo(MIXED_EVENTS);

        for (int split = 1; split < stream.length; split++) {
            assertThat(describe(readAll(new SplitInputStream(stream, split)))).as("split at byte %d", split)
                    .isEqualTo(expected);
        }
        for (int first = 1; first < stream.length; first++) {
            for (int second = first + 1; second < stream.length; second++) {
                assertThat(describe(readAll(new SplitInputStream(stream, first, second))))
                        .as("split at bytes %d and %d", first, second).isEqualTo(expected);
            }
        }
        assertThat(describe(readAll(new OneByteInputStream(stream)))).isEqualTo(expected);
    }

    // ---- [DONE] -------------------------------------------------------------------------------

    @Test
    void doneMarkerIsDetected() throws IOException {
        List<SseEvent> events = readAll("data: {\"x\":1}\n\ndata:[DONE]\n\ndata: [DONE]\n\n"
                + "data: [DONE] \n\ndata: \"[DONE]\"\n\ndata: [done]\n\n");

        assertThat(events).extracting(SseEvent::isDone).containsExactly(false, true, true, false, false, false);
    }

    @Test
    void sseEventIsDoneOnlyForTheExactBytes() {
        assertThat(new SseEvent(null, bytes("[DONE]")).isDone()).isTrue();
        assertThat(new SseEvent("done", bytes("[DONE]")).isDone()).isTrue();
        assertThat(new SseEvent(null, bytes("[DONE]\n")).isDone()).isFalse();
        assertThat(new SseEvent(null, new byte[0]).isDone()).isFalse();
    }

    // ---- size limit ---------------------------------------------------------------------------

    @Test
    void twoMegabyteLineWithOneMegabyteLimitThrowsWithoutReadingItAll() {
        int limit = 1024 * 1024;
        byte[] line = new byte[2 * limit];
        Arrays.fill(line, (byte) 'x');
        System.arraycopy(bytes("data: "), 0, line, 0, 6);
        CountingInputStream source = new CountingInputStream(new SequenceInputStream(
                new ByteArrayInputStream(line), new ByteArrayInputStream(bytes("\n\n"))));
        SseReader reader = new SseReader(source, limit);

        assertThatThrownBy(reader::next).isInstanceOf(SseTooLargeException.class)
                .hasMessageContaining(String.valueOf(limit));
        // It stopped shortly after the limit instead of buffering the rest of the line.
        assertThat(source.count).isLessThanOrEqualTo(limit + 8192L);
    }

    @Test
    void defaultLimitIsOneMegabyte() {
        byte[] line = new byte[2 * 1024 * 1024];
        Arrays.fill(line, (byte) 'x');
        System.arraycopy(bytes("data: "), 0, line, 0, 6);
        SseReader reader = new SseReader(new ByteArrayInputStream(line));

        assertThat(SseReader.DEFAULT_MAX_EVENT_BYTES).isEqualTo(1024 * 1024);
        assertThatThrownBy(reader::next).isInstanceOf(SseTooLargeException.class);
    }

    @Test
    void eventsJustUnderTheLimitPass() throws IOException {
        int limit = 1024 * 1024;
        String payload = "y".repeat(limit - "data: ".length()); // the line is exactly at the limit
        StringBuilder stream = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            stream.append("data: ").append(payload).append("\n\n");
        }
        List<SseEvent> events = events(new SseReader(new ByteArrayInputStream(bytes(stream.toString())), limit));

        assertThat(events).hasSize(3).allSatisfy(e -> assertThat(e.data()).hasSize(payload.length()));
    }

    @Test
    void lineOneByteOverTheLimitThrows() {
        int limit = 64;
        String exact = "data: " + "a".repeat(limit - 6);

        assertThat(catchNext(exact + "\n\n", limit)).isNull();
        assertThat(catchNext(exact + "a\n\n", limit)).isInstanceOf(SseTooLargeException.class);
    }

    @Test
    void eventsBeforeAnOversizedLineAreReadBeforeItsError() throws IOException {
        // One read holds both events and the line: the events come first, as the stream has them.
        SseReader reader = new SseReader(new ByteArrayInputStream(bytes("data: a\n\ndata: b\n\n" + "c".repeat(100) + "\n")), 64);

        assertThat(reader.next().dataText()).isEqualTo("a");
        assertThat(reader.next().dataText()).isEqualTo("b");
        assertThatThrownBy(reader::next).isInstanceOf(SseTooLargeException.class);
    }

    @Test
    void commentLineOverTheLimitAlsoThrows() {
        assertThat(catchNext(":" + "c".repeat(100) + "\n\ndata: a\n\n", 64)).isInstanceOf(SseTooLargeException.class);
    }

    @Test
    void eventWhoseJoinedDataExceedsTheLimitThrows() throws IOException {
        int limit = 64;
        String line = "data: " + "d".repeat(30) + "\n"; // each line fits; 30 + 1 + 30 = 61 fits, 92 does not
        assertThat(events(new SseReader(new ByteArrayInputStream(bytes(line + line + "\n")), limit)))
                .singleElement().satisfies(e -> assertThat(e.data()).hasSize(61));

        assertThat(catchNext(line + line + line + "\n", limit)).isInstanceOf(SseTooLargeException.class);
    }

    @Test
    void limitAppliesPerEventNotPerStream() throws IOException {
        int limit = 64;
        String event = "data: " + "e".repeat(50) + "\n\n";

        assertThat(events(new SseReader(new ByteArrayInputStream(bytes(event.repeat(100))), limit))).hasSize(100);
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static Throwable catchNext(String stream, int limit) {
        SseReader reader = new SseReader(new ByteArrayInputStream(bytes(stream)), limit);
        try {
            while (reader.next() != null) {
                // drain
            }
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    private static List<SseEvent> readAll(String stream) throws IOException {
        List<SseEvent> whole = readAll(new ByteArrayInputStream(bytes(stream)));
        // Every test input must also decode identically when it trickles in byte by byte.
        assertThat(describe(readAll(new OneByteInputStream(bytes(stream))))).isEqualTo(describe(whole));
        return whole;
    }

    private static List<SseEvent> readAll(InputStream in) throws IOException {
        return events(new SseReader(in));
    }

    static List<String> describe(List<SseEvent> events) {
        return events.stream().map(e -> e.event() + "|" + e.dataText()).toList();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
