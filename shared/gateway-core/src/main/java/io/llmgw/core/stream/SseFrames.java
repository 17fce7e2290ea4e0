package io.llmgw.core.stream;

import java.nio.charset.StandardCharsets;

/** Builds server-sent-event frames; each frame is one array so it is written and flushed at once. */
public final class SseFrames {
    public static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    public static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);

    private SseFrames() {}

    /**
     * {@code data: <payload>\n\n}. A payload with line breaks (an upstream's multi-line data,
     * re-emitted as received) is written as several {@code data:} lines, which readers join back.
     */
    public static byte[] data(byte[] json) {
        if (hasLineBreak(json)) {
            return multiLine(json);
        }
        byte[] frame = new byte[DATA.length + json.length + 2];
        System.arraycopy(DATA, 0, frame, 0, DATA.length);
        System.arraycopy(json, 0, frame, DATA.length, json.length);
        frame[frame.length - 2] = '\n';
        frame[frame.length - 1] = '\n';
        return frame;
    }

    /**
     * {@link #data} of {@code json} with its bytes {@code from} to {@code to} replaced by {@code insert},
     * made in one copy: for a relayed event with one value rewritten.
     */
    public static byte[] data(byte[] json, int from, int to, byte[] insert) {
        if (hasLineBreak(json) || hasLineBreak(insert)) {
            byte[] spliced = new byte[json.length - (to - from) + insert.length];
            splice(json, from, to, insert, spliced, 0);
            return data(spliced);
        }
        byte[] frame = new byte[DATA.length + json.length - (to - from) + insert.length + 2];
        System.arraycopy(DATA, 0, frame, 0, DATA.length);
        splice(json, from, to, insert, frame, DATA.length);
        frame[frame.length - 2] = '\n';
        frame[frame.length - 1] = '\n';
        return frame;
    }

    private static void splice(byte[] json, int from, int to, byte[] insert, byte[] into, int at) {
        System.arraycopy(json, 0, into, at, from);
        System.arraycopy(insert, 0, into, at + from, insert.length);
        System.arraycopy(json, to, into, at + from + insert.length, json.length - to);
    }

    private static boolean hasLineBreak(byte[] payload) {
        for (byte b : payload) {
            if (b == '\n' || b == '\r') {
                return true;
            }
        }
        return false;
    }

    private static byte[] multiLine(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8);
        StringBuilder frame = new StringBuilder(payload.length + 16);
        for (String line : text.split("\r\n|\r|\n", -1)) {
            frame.append("data: ").append(line).append('\n');
        }
        return frame.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A relayed upstream event under its name: {@code event: <name>}, then the data exactly as
     * received ({@link #data}: multi-line data stays multi-line).
     */
    public static byte[] relayed(String name, byte[] data) {
        byte[] line = ("event: " + name + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] payload = data(data);
        byte[] frame = new byte[line.length + payload.length];
        System.arraycopy(line, 0, frame, 0, line.length);
        System.arraycopy(payload, 0, frame, line.length, payload.length);
        return frame;
    }

    /** {@code event: <name>\ndata: <json>\n\n}; the JSON must be compact, as Jackson writes it. */
    public static byte[] event(String name, byte[] json) {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[EVENT.length + nameBytes.length + 1 + DATA.length + json.length + 2];
        int at = 0;
        System.arraycopy(EVENT, 0, frame, at, EVENT.length);
        at += EVENT.length;
        System.arraycopy(nameBytes, 0, frame, at, nameBytes.length);
        at += nameBytes.length;
        frame[at++] = '\n';
        System.arraycopy(DATA, 0, frame, at, DATA.length);
        at += DATA.length;
        System.arraycopy(json, 0, frame, at, json.length);
        at += json.length;
        frame[at++] = '\n';
        frame[at] = '\n';
        return frame;
    }
}
