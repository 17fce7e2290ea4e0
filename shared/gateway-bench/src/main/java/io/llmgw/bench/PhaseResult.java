package io.llmgw.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** What one target did in one mode's measured window. Histograms hold nanoseconds. */
final class PhaseResult {
    static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(120);

    final String target;
    final Options.Mode mode;
    /** Intended start to the first body byte. */
    final Histogram firstByte = new ConcurrentHistogram(HIGHEST_NANOS, 3);
    /** Intended start to the end of the response. */
    final Histogram end = new ConcurrentHistogram(HIGHEST_NANOS, 3);
    /** The gateway's x-gateway-overhead-ms header. */
    final Histogram overhead = new ConcurrentHistogram(HIGHEST_NANOS, 3);
    /** How late the scheduler dispatched each request after its intended start. */
    final Histogram dispatchLag = new ConcurrentHistogram(HIGHEST_NANOS, 3);

    final AtomicLong sent = new AtomicLong();
    final AtomicLong ok = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong warmupErrors = new AtomicLong();
    /** Requests sent during the warm-up (the measured ones are {@link #sent}). */
    final AtomicLong warmupSent = new AtomicLong();
    /** Answers with HTTP 429, warm-up included: a limit refused them (also counted as errors). */
    final AtomicLong refused = new AtomicLong();
    final AtomicLong missingOverhead = new AtomicLong();
    final AtomicLong inFlight = new AtomicLong();
    final LongAccumulator maxInFlight = new LongAccumulator(Math::max, 0);
    final List<String> errorSamples = Collections.synchronizedList(new ArrayList<>());
    /** This target's share of the measured window. */
    long measuredNanos;
    long unfinished;
    long connectionsOpened;
    long staleRetries;
    /** CPU use during the measured window (null where /proc is not available). */
    CpuUsage.Usage cpu;

    PhaseResult(String target, Options.Mode mode) {
        this.target = target;
        this.mode = mode;
    }

    static void record(Histogram histogram, long nanos) {
        histogram.recordValue(Math.max(0, Math.min(nanos, HIGHEST_NANOS)));
    }

    void error(String message, boolean measured) {
        (measured ? errors : warmupErrors).incrementAndGet();
        if (errorSamples.size() < 5) {
            errorSamples.add((measured ? "" : "(warm-up) ") + message);
        }
    }

    /** Successful responses per second of this target's share of the measured window. */
    double achievedRate() {
        return measuredNanos <= 0 ? 0 : ok.get() / (measuredNanos / 1e9);
    }
}
