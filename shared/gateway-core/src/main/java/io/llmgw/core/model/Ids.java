package io.llmgw.core.model;

import java.security.SecureRandom;

/**
 * Random identifiers in the shapes clients expect ({@code msg_…}, {@code toolu_…}, {@code call_…},
 * request ids). Drawn from {@link SecureRandom}, not {@code ThreadLocalRandom}: a stored response
 * is found by its {@code resp_…} id, so ids must not be guessable, and under Lambda SnapStart
 * every instance restored from one snapshot would replay the same pseudo-random sequence, and ids
 * would collide across instances; the managed runtime keeps SecureRandom unique after a restore.
 *
 * <p>The bytes are drawn a block at a time, each byte used once: one {@code nextBytes} call per
 * {@link #IDS_PER_BLOCK} ids instead of one per id. Every request takes at least one id, and at a
 * low rate the per-call path (the lock, the mixing generator's setup) ran cold each time: about 2 %
 * of the event loops' time (README › Benchmarks › Where a request's time goes at a low rate). A
 * block drawn before a snapshot must not be handed out after a restore, on every instance alike:
 * the runtime's restore hook calls {@link #forgetDrawn}.
 */
public final class Ids {
    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int LENGTH = 24;
    static final int IDS_PER_BLOCK = 85;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Object LOCK = new Object();
    /** Random bytes not handed out yet from {@code next} on; guarded by {@link #LOCK}. */
    private static final byte[] BLOCK = new byte[LENGTH * IDS_PER_BLOCK];
    private static int next = BLOCK.length;

    private Ids() {}

    /** {@code prefix} followed by 24 random base-62 characters. */
    public static String random(String prefix) {
        char[] id = new char[LENGTH];
        synchronized (LOCK) {
            if (next == BLOCK.length) {
                RANDOM.nextBytes(BLOCK);
                next = 0;
            }
            for (int i = 0; i < LENGTH; i++) {
                id[i] = ALPHABET[(BLOCK[next + i] & 0xff) % ALPHABET.length];
            }
            next += LENGTH;
        }
        return prefix + new String(id);
    }

    /** Drops the bytes drawn and not handed out yet: after a SnapStart restore every instance would hand out the same ones. */
    public static void forgetDrawn() {
        synchronized (LOCK) {
            next = BLOCK.length;  // the next id draws a new block over these bytes
        }
    }

    /** How many ids the bytes already drawn still make (the restore hook's test reads it). */
    public static int leftInBlock() {
        synchronized (LOCK) {
            return (BLOCK.length - next) / LENGTH;
        }
    }
}
