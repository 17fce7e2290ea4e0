package io.llmgw.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the fake upstream answers, and which fault it injects while doing so. Build with the
 * static factories, then chain faults: {@code Reply.sse(events).resetAfterEvents(2)}.
 */
public final class Reply {
    enum Kind { BODY, SSE, RESET }

    final Kind kind;
    final int status;
    final Map<String, String> headers = new LinkedHashMap<>();
    final byte[] body;
    final Iterable<String> events;
    /** Binary frames written as they are, one chunk each (an AWS event stream), instead of SSE {@code events}. */
    List<byte[]> chunks;
    Duration firstByteDelay = Duration.ZERO;
    Duration eventDelay = Duration.ZERO;
    int resetAfterEvents = -1;
    String lineEnding = "\n";
    boolean rawEvents;

    private Reply(Kind kind, int status, byte[] body, Iterable<String> events) {
        this.kind = kind;
        this.status = status;
        this.body = body;
        this.events = events;
    }

    /** A JSON body with the given status. */
    public static Reply json(int status, String json) {
        Reply reply = new Reply(Kind.BODY, status, json.getBytes(StandardCharsets.UTF_8), null);
        reply.headers.put("content-type", "application/json");
        return reply;
    }

    /** Any body with the given status and content type. */
    public static Reply body(int status, String contentType, String text) {
        Reply reply = new Reply(Kind.BODY, status, text.getBytes(StandardCharsets.UTF_8), null);
        reply.headers.put("content-type", contentType);
        return reply;
    }

    /** Any bytes (not necessarily UTF-8) with the given status and content type. */
    public static Reply body(int status, String contentType, byte[] bytes) {
        Reply reply = new Reply(Kind.BODY, status, bytes.clone(), null);
        reply.headers.put("content-type", contentType);
        return reply;
    }

    /** A 200 event stream; each element is one event's {@code data:} payload. */
    public static Reply sse(Iterable<String> dataPayloads) {
        Reply reply = new Reply(Kind.SSE, 200, null, dataPayloads);
        reply.headers.put("content-type", "text/event-stream");
        return reply;
    }

    public static Reply sse(String... dataPayloads) {
        return sse(List.of(dataPayloads));
    }

    /** A 200 event stream of complete raw frames written exactly as given (event names, comments, CRLF…). */
    public static Reply rawSse(Iterable<String> frames) {
        Reply reply = sse(frames);
        reply.rawEvents = true;
        return reply;
    }

    /**
     * A 200 streamed body of binary frames (an AWS event stream), each written as one chunk; the faults apply
     * per frame as they do to events.
     */
    public static Reply frames(String contentType, List<byte[]> frames) {
        Reply reply = new Reply(Kind.SSE, 200, null, List.of());
        reply.headers.put("content-type", contentType);
        reply.chunks = List.copyOf(frames);
        return reply;
    }

    /** The connection is reset (TCP RST) as soon as the request has been read. */
    public static Reply reset() {
        return new Reply(Kind.RESET, 0, null, null);
    }

    public Reply header(String name, String value) {
        headers.put(name.toLowerCase(java.util.Locale.ROOT), value);
        return this;
    }

    /** Waits this long after reading the request before sending anything. */
    public Reply delayFirstByte(Duration delay) {
        firstByteDelay = delay;
        return this;
    }

    /** Waits this long before each event after the first. */
    public Reply eventDelay(Duration delay) {
        eventDelay = delay;
        return this;
    }

    /** Resets the connection after writing this many events. */
    public Reply resetAfterEvents(int count) {
        resetAfterEvents = count;
        return this;
    }

    /** Ends SSE lines with {@code \r\n} instead of {@code \n}. */
    public Reply crlf() {
        lineEnding = "\r\n";
        return this;
    }

    /** The events as they would go on the wire, for assertions. */
    public List<String> frames() {
        List<String> frames = new ArrayList<>();
        if (events != null) {
            events.forEach(e -> frames.add(frame(e)));
        }
        return frames;
    }

    /** What goes on the wire, frame by frame; events are read lazily (a test may generate them as they are written). */
    Iterable<byte[]> frameBytes() {
        if (chunks != null) {
            return chunks;
        }
        return () -> new Iterator<>() {
            private final Iterator<String> each = events.iterator();

            @Override
            public boolean hasNext() {
                return each.hasNext();
            }

            @Override
            public byte[] next() {
                return frame(each.next()).getBytes(StandardCharsets.UTF_8);
            }
        };
    }

    String frame(String event) {
        return rawEvents ? event : "data: " + event + lineEnding + lineEnding;
    }
}
