package io.llmgw.core.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * A stored record's bytes at rest (stored Responses, response-cache entries): a two-byte header — the format (1) and flags (gzip, sealed) —
 * then the record's JSON, gzip-compressed when it is over {@link #COMPRESS_FROM} bytes, and sealed
 * with AES-GCM when a key is configured (a random 96-bit nonce after the header; the header and the
 * record's storage key are authenticated with it, so a record moved to another owner's or id's key
 * fails to open). All JDK: {@code java.util.zip} and {@code javax.crypto}.
 *
 * <p>What comes back from a store is read as hostile: a record that does not open, or that would
 * inflate past the size bound, is {@link Unreadable}, never a failure of the request.
 */
public final class RecordCodec {
    static final int FORMAT = 1;
    static final int COMPRESS_FROM = 1024;
    private static final int GZIP = 1;
    private static final int SEALED = 2;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A stored record that cannot be read (damaged, sealed with another key, a newer format, too large). */
    public static final class Unreadable extends Exception {
        Unreadable(String reason) {
            super(reason, null, false, false);
        }
    }

    private final SecretKey key;
    private final long maxJsonBytes;

    /** @param key null to store records unsealed */
    public RecordCodec(SecretKey key, long maxJsonBytes) {
        this.key = key;
        this.maxJsonBytes = maxJsonBytes;
    }

    public byte[] encode(byte[] json, String storageKey) {
        boolean compress = json.length > COMPRESS_FROM;
        byte[] payload = compress ? gzip(json) : json;
        byte[] header = {FORMAT, (byte) ((compress ? GZIP : 0) | (key != null ? SEALED : 0))};
        if (key == null) {
            return concat(header, payload);
        }
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, header, storageKey);
            return concat(concat(header, nonce), cipher.doFinal(payload));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    public byte[] decode(byte[] stored, String storageKey) throws Unreadable {
        if (stored.length < 2 || stored[0] != FORMAT) {
            throw new Unreadable(stored.length < 2 ? "empty" : "format " + stored[0] + " is not one this gateway reads");
        }
        int flags = stored[1];
        byte[] header = Arrays.copyOf(stored, 2);
        byte[] payload;
        if ((flags & SEALED) != 0) {
            if (key == null) {
                throw new Unreadable("sealed, and no encryption key is configured");
            }
            if (stored.length < 2 + NONCE_BYTES) {
                throw new Unreadable("truncated");
            }
            try {
                Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOfRange(stored, 2, 2 + NONCE_BYTES), header, storageKey);
                payload = cipher.doFinal(stored, 2 + NONCE_BYTES, stored.length - 2 - NONCE_BYTES);
            } catch (GeneralSecurityException e) {
                throw new Unreadable("does not open with the configured encryption key (another key, or altered)");
            }
        } else if (key != null) {
            // With a key configured every record is sealed; an unsealed one was not written by this configuration.
            throw new Unreadable("not sealed, though an encryption key is configured");
        } else {
            payload = Arrays.copyOfRange(stored, 2, stored.length);
        }
        return (flags & GZIP) != 0 ? gunzip(payload) : payload;
    }

    private Cipher cipher(int mode, byte[] nonce, byte[] header, String storageKey) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(header);
        cipher.updateAAD(storageKey.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    private static byte[] gzip(byte[] json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 4 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);  // in memory: cannot happen
        }
        return out.toByteArray();
    }

    /** Inflates at most {@code maxJsonBytes}: a damaged or hostile record must not expand into the heap. */
    private byte[] gunzip(byte[] compressed) throws Unreadable {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            byte[] json = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxJsonBytes + 1));
            if (json.length > maxJsonBytes) {
                throw new Unreadable("inflates past the largest record kept");
            }
            return json;
        } catch (IOException e) {
            throw new Unreadable("damaged compression");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
