package io.llmgw.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock tests move by hand: circuit breakers half-opening, secrets refreshing, without waiting. */
public final class MutableClock extends Clock {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-22T12:00:00Z"));
    private final Duration perReading;

    public MutableClock() {
        this(Duration.ZERO);
    }

    private MutableClock(Duration perReading) {
        this.perReading = perReading;
    }

    /** A clock {@code step} further on at every reading, for tests where time must pass between any two calls. */
    public static MutableClock leaping(Duration step) {
        return new MutableClock(step);
    }

    public void advance(Duration by) {
        now.updateAndGet(t -> t.plus(by));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return perReading.isZero() ? now.get() : now.updateAndGet(t -> t.plus(perReading));
    }
}
