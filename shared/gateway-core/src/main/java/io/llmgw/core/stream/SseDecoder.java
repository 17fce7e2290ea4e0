package io.llmgw.core.stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Decodes server-sent events from bytes as they arrive, following the WHATWG algorithm: line ends
 * {@code \r\n}, {@code \n} or {@code \r} (a {@code \r\n} split between two feeds is still one); a
 * BOM at the start of the stream skipped; one optional space after the colon; several {@code data:}
 * lines joined with {@code \n}; {@code :} comments skipped; unknown fields ignored; a blank line
 * dispatches; an event without data is not dispatched; a complete trailing event is dispatched at
 * the {@link #end} anyway, its last line too when no line end followed it. Lines are split on raw
 * bytes (UTF-8 never uses CR or LF inside a multi-byte character), so a character split across
 * feeds is decoded whole. A line or an event larger than {@code maxEventBytes} ends the stream with
 * {@link SseTooLargeException}.
 *
 * <p>A stream lives for minutes and thousands are in flight (README › Memory per stream in flight),
 * so between feeds the decoder holds only what is not complete yet: a line lying wholly in the fed
 * bytes is parsed where it lies, a line that spans feeds is gathered in a spill buffer let go once
 * it ends, and an event's data is copied out of the fed bytes only when the event outlasts the feed
 * (or has several data lines). Between events it holds no buffer at all.
 */
public final class SseDecoder implements FrameDecoder {
    public static final int DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final byte[] DATA = {'d', 'a', 't', 'a'};
    private static final byte[] EVENT = {'e', 'v', 'e', 'n', 't'};
    /** The least a spill or data buffer starts at, so that a line arriving in many small pieces is not copied for each. */
    private static final int FIRST_BUFFER = 256;

    private final int maxEventBytes;
    /** How many bytes of a BOM the stream has begun with, while it may still be one; -1 once past the start. */
    private int bomBytes;
    /** The last line ended with CR: an LF first in the next bytes belongs to that line end. */
    private boolean skipLeadingLf;

    /** The incomplete line's bytes when it spans feeds, else null. */
    private byte[] spill;
    private int spillLength;

    /**
     * The event's data while it is one data line still in the bytes being fed: left there, so that an
     * event that ends within the feed it arrived in is copied once, into the event. Copied to
     * {@link #data} before {@link #feed} returns, as the fed bytes are the caller's again then.
     */
    private ByteBuffer dataSource;
    private int dataFrom;
    /** The event's data once copied out of the fed bytes, else null. */
    private byte[] data;
    private int dataLength;
    private boolean hasData;
    private String eventName;

    public SseDecoder() {
        this(DEFAULT_MAX_EVENT_BYTES);
    }

    public SseDecoder(int maxEventBytes) {
        this.maxEventBytes = maxEventBytes;
    }

    @Override
    public void feed(ByteBuffer bytes, Consumer<SseEvent> frames) throws IOException {
        if (bomBytes >= 0 && !passBom(bytes)) {
            return;
        }
        int at = bytes.position();
        int limit = bytes.limit();
        while (at < limit) {
            if (skipLeadingLf) {
                skipLeadingLf = false;
                if (bytes.get(at) == '\n') {
                    at++;
                    continue;
                }
            }
            int end = lineEnd(bytes, at, limit);
            if (end == limit) {
                spill(bytes, at, limit - at);  // the line goes on past these bytes
                break;
            }
            if (spillLength > 0) {
                spill(bytes, at, end - at);
                endSpilledLine(frames);
            } else if (end - at > maxEventBytes) {
                throw new SseTooLargeException(maxEventBytes);
            } else {
                line(bytes, at, end - at, frames);
            }
            skipLeadingLf = bytes.get(end) == '\r';
            at = end + 1;
        }
        bytes.position(limit);
        if (dataSource != null) {
            keepData(dataLength);
        }
    }

    @Override
    public void end(Consumer<SseEvent> frames) throws IOException {
        if (bomBytes > 0) {
            notABom();  // the whole stream was the start of a BOM: those bytes are its one line
        }
        bomBytes = -1;
        // The last line counts as complete without its line end; then a pending event is dispatched leniently.
        if (spillLength > 0) {
            endSpilledLine(frames);
        }
        if (hasData) {
            frames.accept(dispatch());
        }
    }

    /** The bytes this decoder holds between feeds: what an incomplete line and event need, nothing else. */
    int heldBytes() {
        return (spill == null ? 0 : spill.length) + (data == null ? 0 : data.length);
    }

    /**
     * Passes over a BOM at the start of the stream, which may arrive split across feeds; false while
     * every byte so far (all of {@code bytes} included) could still be one.
     */
    private boolean passBom(ByteBuffer bytes) throws SseTooLargeException {
        while (bytes.hasRemaining()) {
            if (bytes.get(bytes.position()) != BOM[bomBytes]) {
                notABom();
                return true;
            }
            bytes.position(bytes.position() + 1);
            if (++bomBytes == BOM.length) {
                bomBytes = -1;
                return true;
            }
        }
        return false;
    }

    /** What began like a BOM is not one: the bytes of it seen so far begin the first line. */
    private void notABom() throws SseTooLargeException {
        spill(ByteBuffer.wrap(BOM), 0, bomBytes);
        bomBytes = -1;
    }

    private static int lineEnd(ByteBuffer bytes, int from, int limit) {
        for (int i = from; i < limit; i++) {
            byte b = bytes.get(i);
            if (b == '\n' || b == '\r') {
                return i;
            }
        }
        return limit;
    }

    private void spill(ByteBuffer bytes, int from, int length) throws SseTooLargeException {
        if (length == 0) {
            return;
        }
        int needed = spillLength + length;
        if (needed > maxEventBytes) {
            throw new SseTooLargeException(maxEventBytes);
        }
        if (spill == null) {
            spill = new byte[capacity(0, needed)];
        } else if (needed > spill.length) {
            spill = Arrays.copyOf(spill, capacity(spill.length, needed));
        }
        bytes.get(from, spill, spillLength, length);
        spillLength = needed;
    }

    /** Parses the line gathered in the spill buffer and lets the buffer go. */
    private void endSpilledLine(Consumer<SseEvent> frames) throws SseTooLargeException {
        ByteBuffer line = ByteBuffer.wrap(spill, 0, spillLength);
        spill = null;  // not reused: the event's data may still point into it until the feed returns
        spillLength = 0;
        line(line, 0, line.limit(), frames);
    }

    /** A buffer's new size when it must hold {@code needed} bytes: at least the first size, or twice what it was, within the bound. */
    private int capacity(int current, int needed) {
        return Math.min(maxEventBytes, Math.max(needed, Math.max(FIRST_BUFFER, current * 2)));
    }

    /** One line without its line end, at {@code from} in {@code line}. */
    private void line(ByteBuffer line, int from, int length, Consumer<SseEvent> frames) throws SseTooLargeException {
        if (length == 0) {
            if (hasData) {
                frames.accept(dispatch());
            } else {
                eventName = null;
            }
            return;
        }
        if (line.get(from) == ':') {
            return;
        }
        int colon = length;
        for (int i = 0; i < length; i++) {
            if (line.get(from + i) == ':') {
                colon = i;
                break;
            }
        }
        int valueStart = Math.min(colon + 1, length);
        if (valueStart < length && line.get(from + valueStart) == ' ') {
            valueStart++;
        }
        if (isField(line, from, colon, DATA)) {
            appendData(line, from + valueStart, length - valueStart);
        } else if (isField(line, from, colon, EVENT)) {
            byte[] name = new byte[length - valueStart];
            line.get(from + valueStart, name);
            eventName = new String(name, StandardCharsets.UTF_8);
        }
        // id, retry and unknown fields carry nothing the gateway uses.
    }

    private static boolean isField(ByteBuffer line, int from, int nameLength, byte[] name) {
        if (nameLength != name.length) {
            return false;
        }
        for (int i = 0; i < nameLength; i++) {
            if (line.get(from + i) != name[i]) {
                return false;
            }
        }
        return true;
    }

    private void appendData(ByteBuffer line, int from, int length) throws SseTooLargeException {
        if (!hasData) {
            // Within the bound already, as the line it is part of is.
            dataSource = line;
            dataFrom = from;
            dataLength = length;
            hasData = true;
            return;
        }
        int needed = dataLength + 1 + length;
        if (needed > maxEventBytes) {
            throw new SseTooLargeException(maxEventBytes);
        }
        if (dataSource != null) {
            keepData(capacity(0, needed));
        } else if (needed > data.length) {
            data = Arrays.copyOf(data, capacity(data.length, needed));
        }
        data[dataLength++] = '\n';
        line.get(from, data, dataLength, length);
        dataLength = needed;
    }

    /** Copies the event's data out of the bytes it lies in, into a buffer of {@code capacity} bytes. */
    private void keepData(int capacity) {
        byte[] kept = new byte[capacity];
        dataSource.get(dataFrom, kept, 0, dataLength);
        data = kept;
        dataSource = null;
    }

    private SseEvent dispatch() {
        if (dataSource != null) {
            keepData(dataLength);
        }
        byte[] payload = data.length == dataLength ? data : Arrays.copyOf(data, dataLength);
        SseEvent event = new SseEvent(eventName, payload);
        data = null;
        dataLength = 0;
        hasData = false;
        eventName = null;
        return event;
    }
}
