package io.llmgw.core.dialect.anthropic;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes Anthropic SSE frames ({@code event: <type>\ndata: <json>\n\n}) straight into one reusable
 * buffer: each frame is a fixed pre-encoded skeleton plus escaped strings and numbers, so a delta
 * costs one array copy instead of a JSON tree. One instance per stream; not thread-safe.
 */
final class EventFrames {
    private byte[] buffer = new byte[256];
    private int length;

    /** Starts a frame: {@code event: <type>\ndata: {"type":"<type>"}. */
    EventFrames begin(String type) {
        length = 0;
        return raw("event: ").raw(type).raw("\ndata: {\"type\":\"").raw(type).raw("\"");
    }

    /** ASCII text copied as is (structure, keys, constants). */
    EventFrames raw(String ascii) {
        ensure(ascii.length());
        for (int i = 0; i < ascii.length(); i++) {
            buffer[length++] = (byte) ascii.charAt(i);
        }
        return this;
    }

    EventFrames number(long value) {
        if (value < 0) {
            return raw(Long.toString(value));
        }
        ensure(20);
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        for (int i = length + digits - 1; i >= length; i--) {
            buffer[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += digits;
        return this;
    }

    /** A JSON string literal, quoted and escaped, as UTF-8. */
    EventFrames string(String text) {
        // Room for the worst case up front: six bytes a char (a control character or a lone surrogate, escaped).
        ensure(text.length() * 6 + 2);
        buffer[length++] = '"';
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                if (c < 0x20 || c == '"' || c == '\\') {
                    escape(c);
                } else {
                    buffer[length++] = (byte) c;
                }
            } else if (c < 0x800) {
                buffer[length++] = (byte) (0xC0 | (c >> 6));
                buffer[length++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                buffer[length++] = (byte) (0xF0 | (cp >> 18));
                buffer[length++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buffer[length++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buffer[length++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                raw("\\u").raw(String.format("%04x", (int) c));  // a lone surrogate: keep the JSON valid
            } else {
                buffer[length++] = (byte) (0xE0 | (c >> 12));
                buffer[length++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buffer[length++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        buffer[length++] = '"';
        return this;
    }

    /** Closes the JSON object opened by {@link #begin} and the frame; returns the frame's bytes. */
    byte[] end() {
        raw("}\n\n");
        return Arrays.copyOf(buffer, length);
    }

    private void escape(char c) {
        ensure(6);
        buffer[length++] = '\\';
        switch (c) {
            case '"' -> buffer[length++] = '"';
            case '\\' -> buffer[length++] = '\\';
            case '\n' -> buffer[length++] = 'n';
            case '\r' -> buffer[length++] = 'r';
            case '\t' -> buffer[length++] = 't';
            case '\b' -> buffer[length++] = 'b';
            case '\f' -> buffer[length++] = 'f';
            default -> {
                buffer[length++] = 'u';
                buffer[length++] = '0';
                buffer[length++] = '0';
                buffer[length++] = (byte) Character.forDigit(c >> 4, 16);
                buffer[length++] = (byte) Character.forDigit(c & 0xF, 16);
            }
        }
    }

    private void ensure(int extra) {
        if (length + extra > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + extra + 64));
        }
    }

    static byte[] constant(String frame) {
        return frame.getBytes(StandardCharsets.UTF_8);
    }
}
