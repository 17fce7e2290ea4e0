package io.llmgw.core.model;

import java.util.concurrent.ThreadLocalRandom;

/** Random identifiers in the shapes clients expect ({@code msg_…}, {@code toolu_…}, {@code call_…}). */
public final class Ids {
    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private Ids() {}

    /** {@code prefix} followed by 24 random base-62 characters. */
    public static String random(String prefix) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[24];
        for (int i = 0; i < id.length; i++) {
            id[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return prefix + new String(id);
    }
}
