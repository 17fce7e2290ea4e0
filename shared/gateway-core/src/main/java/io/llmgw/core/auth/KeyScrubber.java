package io.llmgw.core.auth;

import io.llmgw.core.http.Headers;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one place that keeps keys out of everything the gateway sends or logs: every byte written to
 * a client, every response header, every logged exception passes through it. It knows the
 * gateway's own keys (gateway keys and configured upstream keys) and, per request, the key the
 * caller presented; an upstream that echoes a key it received cannot make the gateway repeat it.
 * Each occurrence is replaced by its {@linkplain Secrets#mask mask}.
 */
public final class KeyScrubber {
    /** Shorter values are not treated as keys: masking them would garble ordinary text. */
    static final int MIN_KEY_LENGTH = 8;
    public static final KeyScrubber NONE = new KeyScrubber(List.of());

    private final String[] keys;
    /**
     * Each key's UTF-8 bytes as Latin-1 text, one character per byte: searched for in a Latin-1 view of what is
     * written ({@link #scrub(byte[])}), with {@code String.indexOf}, which the JIT compiles to vector
     * instructions — a byte loop per key went through every frame a byte at a time, several microseconds
     * per key for each 13 KB lifecycle event of a Codex answer (README › Benchmarks).
     */
    private final String[] keyLatin1;
    private final byte[][] masks;

    public KeyScrubber(Collection<String> secrets) {
        Set<String> distinct = new LinkedHashSet<>();
        for (String secret : secrets) {
            if (secret != null && secret.length() >= MIN_KEY_LENGTH) {
                distinct.add(secret);
            }
        }
        // Longest first, so a key that contains another is replaced whole.
        this.keys = distinct.stream().sorted((a, b) -> b.length() - a.length()).toArray(String[]::new);
        this.keyLatin1 = Arrays.stream(keys).map(KeyScrubber::latin1Utf8).toArray(String[]::new);
        this.masks = Arrays.stream(keys).map(k -> Secrets.mask(k).getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }

    private KeyScrubber(String[] keys, String[] keyLatin1, byte[][] masks) {
        this.keys = keys;
        this.keyLatin1 = keyLatin1;
        this.masks = masks;
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** {@code key}'s UTF-8 bytes, one character each. */
    private static String latin1Utf8(String key) {
        return latin1(key.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * This scrubber plus {@code more} (e.g. the key a caller presented). Made once per request, so it
     * inserts into this one's sorted arrays instead of sorting and encoding every key again.
     */
    public KeyScrubber with(String... more) {
        KeyScrubber out = this;
        for (String key : more) {
            if (key != null && key.length() >= MIN_KEY_LENGTH && !Arrays.asList(out.keys).contains(key)) {
                out = out.inserting(key);
            }
        }
        return out;
    }

    /** A copy with {@code key} after every longer key (or as long) and before every shorter one. */
    private KeyScrubber inserting(String key) {
        int at = 0;
        while (at < keys.length && keys[at].length() >= key.length()) {
            at++;
        }
        return new KeyScrubber(inserted(keys, at, key, new String[keys.length + 1]),
                inserted(keyLatin1, at, latin1Utf8(key), new String[keys.length + 1]),
                inserted(masks, at, Secrets.mask(key).getBytes(StandardCharsets.UTF_8), new byte[keys.length + 1][]));
    }

    private static <T> T[] inserted(T[] from, int at, T value, T[] into) {
        System.arraycopy(from, 0, into, 0, at);
        into[at] = value;
        System.arraycopy(from, at, into, at + 1, from.length - at);
        return into;
    }

    public String scrub(String text) {
        if (text == null || keys.length == 0) {
            return text;
        }
        String out = text;
        for (String key : keys) {
            if (out.contains(key)) {
                out = out.replace(key, Secrets.mask(key));
            }
        }
        return out;
    }

    /** {@code bytes} itself when no key occurs in it (the common case costs a scan, no copy). */
    public byte[] scrub(byte[] bytes) {
        if (keyLatin1.length == 0 || bytes.length < MIN_KEY_LENGTH) {
            return bytes;
        }
        byte[] out = bytes;
        String text = latin1(bytes);  // a copy, byte for byte: cheaper than a scan a byte at a time per key
        for (int k = 0; k < keyLatin1.length; k++) {
            if (text.indexOf(keyLatin1[k]) >= 0) {
                out = replace(out, text, keyLatin1[k], masks[k]);
                text = latin1(out);
            }
        }
        return out;
    }

    /** The same headers, or a copy with every value scrubbed when one carried a key. */
    public Headers scrub(Headers headers) {
        if (keys.length == 0) {
            return headers;
        }
        boolean[] found = {false};
        headers.forEach((name, value) -> found[0] |= !scrub(value).equals(value));
        if (!found[0]) {
            return headers;
        }
        Headers clean = new Headers();
        headers.forEach((name, value) -> clean.add(name, scrub(value)));
        return clean;
    }

    /**
     * A throwable safe to log: the same classes and stack frames, every message in the cause
     * chain scrubbed. The original is returned when no message carries a key.
     */
    public Throwable scrub(Throwable error) {
        if (error == null || keys.length == 0 || !carriesKey(error, 0)) {
            return error;
        }
        return copy(error, 0);
    }

    private boolean carriesKey(Throwable error, int depth) {
        if (error == null || depth > 16) {
            return false;
        }
        String message = error.getMessage();
        return (message != null && !scrub(message).equals(message)) || carriesKey(error.getCause(), depth + 1);
    }

    private Throwable copy(Throwable error, int depth) {
        Throwable cause = error.getCause() == null || depth > 16 ? null : copy(error.getCause(), depth + 1);
        Throwable copy = new ScrubbedThrowable(error.getMessage() == null ? error.getClass().getName()
                : error.getClass().getName() + ": " + scrub(error.getMessage()), cause);
        copy.setStackTrace(error.getStackTrace());
        return copy;
    }

    /** Stands in for a logged exception whose message carried a key; prints as the original class. */
    private static final class ScrubbedThrowable extends RuntimeException {
        ScrubbedThrowable(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }

    /** {@code bytes} with every occurrence of {@code key} masked; {@code text} is their Latin-1 view, where a byte is a character. */
    private static byte[] replace(byte[] bytes, String text, String key, byte[] mask) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(bytes.length);
        int from = 0;
        for (int at; (at = text.indexOf(key, from)) >= 0; from = at + key.length()) {
            out.write(bytes, from, at - from);
            out.write(mask, 0, mask.length);
        }
        out.write(bytes, from, bytes.length - from);
        return out.toByteArray();
    }
}
