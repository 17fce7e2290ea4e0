package io.llmgw.core.limits;

import io.llmgw.core.state.StateStore;
import java.time.Duration;
import java.time.Instant;

/**
 * Requests in flight per scope, counted in the shared store so the limit holds across instances.
 * Counters live in fixed windows: a request takes its slot in the current window's counter and
 * gives it back there; admission counts the current and the previous window (a request lasts less
 * than one window). A slot of an instance that died is never given back, and disappears with its
 * window's counter at most two windows later — no lock to break, no heartbeat to keep.
 */
final class ConcurrencySlots {
    /** Longer than any request: Lambda's 15-minute limit, and the gateway's longest deadline. */
    static final Duration WINDOW = Duration.ofMinutes(15);

    private final StateStore store;

    ConcurrencySlots(StateStore store) {
        this.store = store;
    }

    /** A held slot; {@link #release} gives it back. */
    record Slot(String key, Instant expiresAt) {
        /** No slot was counted (the store could not be reached and the request went ahead). */
        static final Slot NONE = new Slot("", Instant.EPOCH);
    }

    /** A slot in {@code scopeId}'s count, or null when {@code limit} are taken. */
    Slot acquire(String scopeId, int limit, Instant now) {
        long window = now.getEpochSecond() / WINDOW.toSeconds();
        long previous = store.get(key(scopeId, window - 1));
        long room = limit - Math.max(0, previous);
        if (room <= 0) {
            return null;
        }
        Instant expiresAt = Instant.ofEpochSecond((window + 2) * WINDOW.toSeconds());
        String key = key(scopeId, window);
        return store.reserve(key, 1, room, expiresAt).granted() ? new Slot(key, expiresAt) : null;
    }

    void release(Slot slot, Instant now) {
        if (now.isBefore(slot.expiresAt())) {
            store.add(slot.key(), -1, slot.expiresAt());
        }
    }

    private static String key(String scopeId, long window) {
        return "cc:" + scopeId + ":" + window;
    }
}
