package io.llmgw.core.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding of URL paths per RFC 3986 (section 2): unlike form encoding, a space is
 * {@code %20} and {@code +} is itself.
 */
public final class PathEncoding {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PathEncoding() {}

    /** One path segment: every byte outside the unreserved set ({@code A-Z a-z 0-9 - . _ ~}) as {@code %XX}. */
    public static String encodeSegment(String segment) {
        StringBuilder out = new StringBuilder(segment.length() + 8);
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    /** Decodes {@code %XX} sequences (as UTF-8); an {@link IllegalArgumentException} when one is malformed. */
    public static String decode(String encoded) {
        if (encoded.indexOf('%') < 0) {
            return encoded;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c != '%') {
                byte[] plain = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(plain, 0, plain.length);
                continue;
            }
            int hi = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(encoded.charAt(i + 2), 16) : -1;
            if (lo < 0) {
                throw malformed();
            }
            bytes.write(hi << 4 | lo);
            i += 2;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Whether every {@code %} in {@code path} starts a valid {@code %XX} sequence. */
    public static boolean wellFormed(String path) {
        for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
            if (i + 2 >= path.length() || Character.digit(path.charAt(i + 1), 16) < 0 || Character.digit(path.charAt(i + 2), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static RuntimeException malformed() {
        return new IllegalArgumentException("malformed percent-encoding");
    }
}
