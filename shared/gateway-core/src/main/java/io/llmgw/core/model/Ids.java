package io.llmgw.core.model;

import java.security.SecureRandom;

/**
 * Random identifiers in the shapes clients expect ({@code msg_…}, {@code toolu_…}, {@code call_…},
 * request ids). Drawn from {@link SecureRandom}, not {@code ThreadLocalRandom}: under Lambda
 * SnapStart every instance restored from one snapshot would replay the same pseudo-random
 * sequence, and ids would collide across instances; the managed runtime keeps SecureRandom
 * unique after a restore.
 */
public final class Ids {
    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int LENGTH = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    /** {@code prefix} followed by 24 random base-62 characters. */
    public static String random(String prefix) {
        byte[] bytes = new byte[LENGTH];
        RANDOM.nextBytes(bytes);
        char[] id = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            id[i] = ALPHABET[(bytes[i] & 0xff) % ALPHABET.length];
        }
        return prefix + new String(id);
    }
}
