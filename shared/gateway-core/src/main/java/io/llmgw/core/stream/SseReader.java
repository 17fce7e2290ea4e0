package io.llmgw.core.stream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads server-sent events from a byte stream following the WHATWG algorithm: line ends
 * {@code \r\n}, {@code \n} or {@code \r}; one optional space after the colon; several {@code data:}
 * lines joined with {@code \n}; {@code :} comments skipped; unknown fields ignored; a blank line
 * dispatches; an event without data is not dispatched; a complete trailing event at EOF is
 * dispatched anyway. Lines are split on raw bytes (UTF-8 never uses CR or LF inside a multi-byte
 * character), so a character split across reads is decoded whole. Memory is bounded: a line or an
 * event larger than {@code maxEventBytes} ends the stream with {@link SseTooLargeException}.
 */
public final class SseReader implements FrameReader {
    public static final int DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final InputStream in;
    private final int maxEventBytes;
    /**
     * Held for the whole stream, so small: the upstream connection buffers too (reads of up to 512
     * bytes are served from its buffer), and an event may span any number of reads.
     */
    private final byte[] buffer = new byte[512];
    private int position;
    private int limit;
    private boolean skipLeadingLf;
    private boolean atStart = true;
    private boolean eof;

    /**
     * The current line: in {@code buffer} itself when it arrived within one read (nearly always), or
     * gathered in {@code spill} when it spans reads, a buffer allocated when one does and let go once
     * that line is read (a stream that waits between events holds none).
     */
    private byte[] line;
    private int lineStart;
    private int lineLength;
    private byte[] spill;
    private byte[] data = new byte[256];
    private int dataLength;
    private boolean hasData;
    private String eventName;

    public SseReader(InputStream in) {
        this(in, DEFAULT_MAX_EVENT_BYTES);
    }

    public SseReader(InputStream in, int maxEventBytes) {
        this.in = in;
        this.maxEventBytes = maxEventBytes;
    }

    /** The next event, or null at the end of the stream. */
    public SseEvent next() throws IOException {
        while (true) {
            if (!readLine()) {
                // EOF: a pending line counts as complete, then a pending event is dispatched leniently.
                if (lineLength > 0) {
                    processLine();
                    lineLength = 0;
                }
                return hasData ? dispatch() : null;
            }
            if (lineLength == 0) {
                if (hasData) {
                    return dispatch();
                }
                eventName = null;
                continue;
            }
            processLine();
            lineLength = 0;
        }
    }

    /** Points {@code line} at the next line's bytes; false at EOF before any terminator. */
    private boolean readLine() throws IOException {
        line = buffer;  // not the last line's spill, which is let go
        lineLength = 0;
        boolean spilled = false;
        while (true) {
            if (position == limit && !fill()) {
                line = spill;
                lineStart = 0;
                spill = null;
                return false;
            }
            if (skipLeadingLf) {
                skipLeadingLf = false;
                if (buffer[position] == '\n') {
                    position++;
                    continue;
                }
            }
            int start = position;
            while (position < limit) {
                byte b = buffer[position];
                if (b == '\n' || b == '\r') {
                    if (spilled) {
                        appendToLine(start, position - start);
                        line = spill;
                        lineStart = 0;
                        spill = null;
                    } else if (position - start > maxEventBytes) {
                        throw new SseTooLargeException(maxEventBytes);
                    } else {
                        line = buffer;
                        lineStart = start;
                        lineLength = position - start;
                    }
                    position++;
                    skipLeadingLf = b == '\r';
                    return true;
                }
                position++;
            }
            appendToLine(start, position - start);  // the line goes on past this read
            spilled = true;
        }
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            eof = true;
            return false;
        }
        position = 0;
        limit = n;
        if (atStart) {
            atStart = false;
            // The BOM itself may arrive split across reads: read on while what we have is a prefix of it.
            while (limit < BOM.length && isBomPrefix(limit)) {
                int more = in.read(buffer, limit, buffer.length - limit);
                if (more <= 0) {
                    eof = true;
                    break;
                }
                limit += more;
            }
            if (limit >= BOM.length && isBomPrefix(BOM.length)) {
                position = BOM.length;
            }
        }
        return true;
    }

    private boolean isBomPrefix(int length) {
        for (int i = 0; i < length; i++) {
            if (buffer[i] != BOM[i]) {
                return false;
            }
        }
        return true;
    }

    private void appendToLine(int from, int length) throws SseTooLargeException {
        if (length == 0) {
            return;
        }
        int needed = lineLength + length;
        if (needed > maxEventBytes) {
            throw new SseTooLargeException(maxEventBytes);
        }
        if (spill == null) {
            spill = new byte[Math.min(maxEventBytes, Math.max(needed, 256))];
        } else if (needed > spill.length) {
            spill = Arrays.copyOf(spill, Math.min(maxEventBytes, Math.max(needed, spill.length * 2)));
        }
        System.arraycopy(buffer, from, spill, lineLength, length);
        lineLength = needed;
    }

    private void processLine() throws SseTooLargeException {
        if (line[lineStart] == ':') {
            return;
        }
        int colon = -1;
        for (int i = 0; i < lineLength; i++) {
            if (line[lineStart + i] == ':') {
                colon = i;
                break;
            }
        }
        int nameEnd = colon < 0 ? lineLength : colon;
        int valueStart = colon < 0 ? lineLength : colon + 1;
        if (valueStart < lineLength && line[lineStart + valueStart] == ' ') {
            valueStart++;
        }
        if (isField("data", nameEnd)) {
            appendData(valueStart, lineLength - valueStart);
        } else if (isField("event", nameEnd)) {
            eventName = new String(line, lineStart + valueStart, lineLength - valueStart, StandardCharsets.UTF_8);
        }
        // id, retry and unknown fields carry nothing the gateway uses.
    }

    private boolean isField(String name, int nameEnd) {
        if (nameEnd != name.length()) {
            return false;
        }
        for (int i = 0; i < nameEnd; i++) {
            if (line[lineStart + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void appendData(int from, int length) throws SseTooLargeException {
        int separator = hasData ? 1 : 0;
        int needed = dataLength + separator + length;
        if (needed > maxEventBytes) {
            throw new SseTooLargeException(maxEventBytes);
        }
        if (needed > data.length) {
            data = Arrays.copyOf(data, Math.min(maxEventBytes, Math.max(needed, data.length * 2)));
        }
        if (hasData) {
            data[dataLength++] = '\n';
        }
        System.arraycopy(line, lineStart + from, data, dataLength, length);
        dataLength += length;
        hasData = true;
    }

    private SseEvent dispatch() {
        SseEvent event = new SseEvent(eventName, Arrays.copyOf(data, dataLength));
        dataLength = 0;
        hasData = false;
        eventName = null;
        return event;
    }
}
