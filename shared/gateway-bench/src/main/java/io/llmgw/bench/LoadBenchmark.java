package io.llmgw.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Open-loop load benchmark of the gateway's added latency.
 *
 * <p>For each mode (non-streaming, streaming) it runs the same fixed-rate schedule against two
 * targets, one after the other: directly at the fake upstream, then through the gateway to that
 * same upstream. Each target gets a warm-up (not recorded; the rate ramps up over its first
 * half, then holds) and a measured window. In the measured window request {@code i} is due at
 * {@code start + i / rate}; a scheduler thread hands it to its own
 * worker thread at that moment, so a slow response never delays the next request, and every
 * latency is measured from the intended start, not from when the request actually left
 * (coordinated-omission safe: a stall shows up in the latency of every request it delayed).
 *
 * <p>Reported per mode: p50/p90/p99/p99.9/max for direct and gateway (for streams: time to the
 * first body byte and to the end), the added latency (gateway minus direct, per percentile), the
 * gateway's {@code x-gateway-overhead-ms} header, achieved rate and errors. The same markdown
 * goes to stdout and, with {@code --out}, to a file.
 */
public final class LoadBenchmark {
    private static final double TARGET_ADDED_P50_MS = 0.1;
    private static final double TARGET_ADDED_P99_MS = 1.0;

    private final Options options;
    private final BenchClient client;
    private final ExecutorService workers;
    /** One CSV line per measured request, when --requests-log asks for them. */
    private final Queue<String> requestLines = new ConcurrentLinkedQueue<>();

    private LoadBenchmark(Options options) {
        this.options = options;
        this.workers = options.workers() == Options.WorkerKind.VIRTUAL
                ? Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("bench-", 0).factory())
                : Executors.newCachedThreadPool(daemonFactory());
        this.client = options.client() == Options.ClientKind.RAW
                ? new RawHttpClient(options.timeout())
                : new JdkHttpClient(options.timeout(), workers);
    }

    public static void main(String[] args) throws Exception {
        System.exit(execute(args));
    }

    /** Exit status: every measured request succeeded and none was refused. */
    static final int OK = 0;
    /** Some measured requests failed (or did not finish). */
    static final int FAILED_REQUESTS = 1;
    /** Bad command line. */
    static final int USAGE = 2;
    /**
     * A target answered 429, warm-up included: a rate limit or budget refused requests, so the
     * figures mix refusals (answered at once, without an upstream call) with admitted requests.
     */
    static final int REFUSED = 3;

    /** Output files may name a directory that does not exist yet (a fresh run directory). */
    private static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    /** Runs the benchmark as {@link #main} does and returns the exit status instead of exiting. */
    static int execute(String[] args) throws IOException, InterruptedException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (Options.UsageException e) {
            if (e.getMessage() != null) {
                System.err.println("error: " + e.getMessage());
            }
            System.err.print(Options.USAGE);
            return e.getMessage() == null ? OK : USAGE;
        }
        LoadBenchmark bench = new LoadBenchmark(options);
        try {
            return bench.run();
        } finally {
            bench.client.close();
            bench.workers.shutdownNow();
        }
    }

    /** Runs every mode and target, prints the report; returns the exit status. */
    private int run() throws IOException, InterruptedException {
        List<Target> targets = new ArrayList<>();
        targets.add(new Target("direct", options.directUrl(), options.model(), options.apiKey(), options.distinct()));
        if (options.gatewayUrl() != null) {
            targets.add(new Target("gateway", options.gatewayUrl(), options.model(), options.apiKey(), options.distinct()));
        }
        if (options.relayUrl() != null) {
            targets.add(new Target("relay", options.relayUrl(), options.model(), options.apiKey(), options.distinct()));
        }
        String startedAt = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        List<List<PhaseResult>> byMode = new ArrayList<>();
        for (Options.Mode mode : options.modes()) {
            List<PhaseResult> results = new ArrayList<>();
            for (Target target : targets) {
                results.add(new PhaseResult(target.name, mode));
            }
            client.resetConnections();
            if (options.alternate() && targets.size() > 1) {
                for (int i = 0; i < targets.size(); i++) {
                    warmUp(targets.get(i), results.get(i));
                }
                progress("%s: measuring %s for %s each at %s req/s, switching target every %s", mode.label,
                        String.join(", ", targets.stream().map(t -> t.name).toList()), seconds(options.duration()),
                        number(options.rate()), seconds(options.slice()));
                measure(targets, results);
            } else {
                for (int i = 0; i < targets.size(); i++) {
                    warmUp(targets.get(i), results.get(i));
                    progress("%s %s: measuring for %s at %s req/s", mode.label, targets.get(i).name, seconds(options.duration()),
                            number(options.rate()));
                    measure(List.of(targets.get(i)), List.of(results.get(i)));
                }
            }
            for (PhaseResult result : results) {
                progress("%s %s: %d ok, %d errors, p50 %s ms, p99 %s ms, max %s ms; %d requests in all (warm-up included), %d refused (429)",
                        mode.label, result.target, result.ok.get(), result.errors.get() + result.unfinished,
                        ms(main(result).getValueAtPercentile(50)), ms(main(result).getValueAtPercentile(99)),
                        ms(main(result).getMaxValue()), result.warmupSent.get() + result.sent.get(), result.refused.get());
                writeHistograms(result);
            }
            byMode.add(results);
        }
        String report = Report.markdown(options, startedAt, byMode, TARGET_ADDED_P50_MS, TARGET_ADDED_P99_MS);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.println(report);
        if (options.out() != null) {
            createParent(options.out());
            Files.writeString(options.out(), report + "\n", StandardCharsets.UTF_8);
            progress("report written to %s", options.out());
        }
        if (options.requestsLog() != null) {
            createParent(options.requestsLog());
            Files.write(options.requestsLog(), requestLines, StandardCharsets.UTF_8);
            progress("%d measured requests written to %s", requestLines.size(), options.requestsLog());
        }
        long errors = 0;
        for (List<PhaseResult> results : byMode) {
            for (PhaseResult r : results) {
                errors += r.errors.get() + r.unfinished;
            }
        }
        String refusals = refusals(byMode);
        if (refusals != null) {
            System.err.println("[bench] FAILED: " + refusals);
            return REFUSED;
        }
        return errors == 0 ? OK : FAILED_REQUESTS;
    }

    /** What was refused with a 429 (per target and mode), or null when nothing was. */
    private static String refusals(List<List<PhaseResult>> byMode) {
        List<String> refused = new ArrayList<>();
        for (List<PhaseResult> results : byMode) {
            for (PhaseResult r : results) {
                if (r.refused.get() > 0) {
                    refused.add(r.target + " " + r.mode.label + ": " + r.refused.get());
                }
            }
        }
        if (refused.isEmpty()) {
            return null;
        }
        return "requests were refused with HTTP 429 (" + String.join(", ", refused) + ", warm-up included). A rate limit or "
                + "budget refused them, so these figures are not the latency of admitted requests; raise the limits (or lower "
                + "--rate) and run again.";
    }

    static Histogram main(PhaseResult result) {
        return result.mode == Options.Mode.STREAMING ? result.firstByte : result.end;
    }

    /**
     * Unrecorded warm-up of one target: the rate ramps linearly from 10 % to 100 % over the first
     * half, then holds for the second half, so a cold JVM (interpreted code, JIT threads competing
     * for the CPUs) is not pushed into a backlog it cannot drain before the measurement starts.
     */
    private void warmUp(Target target, PhaseResult result) throws InterruptedException {
        long warmupNanos = options.warmup().toNanos();
        if (warmupNanos <= 0) {
            return;
        }
        progress("%s %s: warm-up %s (%s), ramping to %s req/s", result.mode.label, target.name, seconds(options.warmup()),
                target.uri, number(options.rate()));
        long rampNanos = warmupNanos / 2;
        double startRate = options.rate() * 0.1;
        long start = System.nanoTime() + 20_000_000L;
        long nextProgress = start + 5_000_000_000L;
        for (double offset = 0; offset < warmupNanos; ) {
            long intended = start + Math.round(offset);
            double rate = offset < rampNanos ? startRate + (options.rate() - startRate) * offset / rampNanos : options.rate();
            offset += 1e9 / rate;
            long now = waitUntil(intended);
            result.warmupSent.incrementAndGet();
            dispatch(target, result, intended, false);
            if (now >= nextProgress) {
                nextProgress += 5_000_000_000L;
                progress("  %s %s: warm-up, %d s, in flight %d, errors %d", result.mode.label, target.name,
                        Math.round((now - start) / 1e9), result.inFlight.get(), result.warmupErrors.get());
            }
        }
        drain(List.of(result));
    }

    /**
     * The measured window: one fixed-rate schedule. With several targets they take turns, one
     * slice each, until each had {@code duration}; slow drift (JIT, GC, other processes) then hits
     * every target alike instead of whichever ran last.
     */
    private void measure(List<Target> targets, List<PhaseResult> results) throws InterruptedException {
        double intervalNanos = 1e9 / options.rate();
        int n = targets.size();
        long perTarget = Math.max(1, Math.round(options.duration().toNanos() / intervalNanos));
        long total = perTarget * n;
        long slice = n == 1 ? Long.MAX_VALUE : Math.max(1, Math.round(options.slice().toNanos() / intervalNanos));
        long[] openedBefore = new long[n];
        long[] retriesBefore = new long[n];
        for (int i = 0; i < n; i++) {
            openedBefore[i] = client.connectionsOpened(targets.get(i));
            retriesBefore[i] = client.staleRetries(targets.get(i));
        }

        long start = System.nanoTime() + 20_000_000L;
        // CPU snapshot at the start of the measured window, taken off the scheduler thread (it scans /proc).
        AtomicReference<CpuUsage.Snapshot> cpuBefore = new AtomicReference<>();
        Thread cpuThread = Thread.ofPlatform().daemon().name("bench-cpu").start(() -> {
            waitUntil(start);
            cpuBefore.set(CpuUsage.take(options.cpuPids()));
        });
        long nextProgress = start + 5_000_000_000L;
        long[] sent = new long[n];
        for (long i = 0; i < total; i++) {
            // slices in turn; a target that has sent its share drops out of the rotation
            int k = (int) ((i / slice) % n);
            while (sent[k] >= perTarget) {
                k = (k + 1) % n;
            }
            sent[k]++;
            long intended = start + Math.round(i * intervalNanos);
            long now = waitUntil(intended);
            PhaseResult result = results.get(k);
            PhaseResult.record(result.dispatchLag, now - intended);
            result.sent.incrementAndGet();
            dispatch(targets.get(k), result, intended, true);
            if (now >= nextProgress) {
                nextProgress += 5_000_000_000L;
                StringBuilder status = new StringBuilder();
                for (PhaseResult r : results) {
                    status.append(", ").append(r.target).append(": in flight ").append(r.inFlight.get()).append(", errors ")
                            .append(r.errors.get());
                }
                progress("  %s: measuring, %d s%s", result.mode.label, Math.round((now - start) / 1e9), status);
            }
        }
        drain(results);
        cpuThread.join();
        CpuUsage.Usage cpu = CpuUsage.between(cpuBefore.get(), CpuUsage.take(options.cpuPids()));
        for (int i = 0; i < n; i++) {
            PhaseResult result = results.get(i);
            result.cpu = cpu;
            result.measuredNanos = Math.round(perTarget * intervalNanos);
            result.unfinished = result.inFlight.get();
            result.connectionsOpened = client.connectionsOpened(targets.get(i)) - openedBefore[i];
            result.staleRetries = client.staleRetries(targets.get(i)) - retriesBefore[i];
        }
    }

    private static long waitUntil(long intended) {
        long now;
        while ((now = System.nanoTime()) < intended) {
            LockSupport.parkNanos(intended - now);
        }
        return now;
    }

    private void dispatch(Target target, PhaseResult result, long intended, boolean measured) {
        long current = result.inFlight.incrementAndGet();
        if (measured) {
            result.maxInFlight.accumulate(current);
        }
        workers.execute(() -> {
            try {
                one(target, result.mode == Options.Mode.STREAMING, intended, measured, result);
            } finally {
                result.inFlight.decrementAndGet();
            }
        });
    }

    /** Lets the requests in flight finish; any still open after the timeout count as failed. */
    private void drain(List<PhaseResult> results) throws InterruptedException {
        long deadline = System.nanoTime() + options.timeout().toNanos() + 2_000_000_000L;
        while (results.stream().anyMatch(r -> r.inFlight.get() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    private void one(Target target, boolean stream, long intended, boolean measured, PhaseResult result) {
        BenchClient.Exchange x;
        try {
            x = client.exchange(target, stream);
        } catch (IOException | RuntimeException e) {
            result.error(e.getClass().getSimpleName() + ": " + e.getMessage(), measured);
            return;
        }
        if (x.status() == 429) {
            result.refused.incrementAndGet();
        }
        if (x.problem() != null) {
            result.error(x.problem(), measured);
            return;
        }
        if (!measured) {
            return;
        }
        PhaseResult.record(result.firstByte, x.firstByteNanos() - intended);
        PhaseResult.record(result.end, x.endNanos() - intended);
        if (options.requestsLog() != null) {
            long intendedEpochMicros = System.currentTimeMillis() * 1000 - (System.nanoTime() - intended) / 1000;
            requestLines.add(result.mode.label + "," + result.target + "," + intendedEpochMicros + "," + (x.firstByteNanos() - intended) / 1000
                    + "," + (x.endNanos() - intended) / 1000 + "," + x.overheadMillis());
        }
        if (Double.isNaN(x.overheadMillis())) {
            result.missingOverhead.incrementAndGet();
        } else {
            PhaseResult.record(result.overhead, Math.round(x.overheadMillis() * 1e6));
        }
        result.ok.incrementAndGet();
    }

    private void writeHistograms(PhaseResult result) throws IOException {
        if (options.histograms() == null) {
            return;
        }
        Files.createDirectories(options.histograms());
        String prefix = result.mode.label + "-" + result.target + "-";
        write(options.histograms().resolve(prefix + "end.hgrm"), result.end);
        if (result.mode == Options.Mode.STREAMING) {
            write(options.histograms().resolve(prefix + "first-byte.hgrm"), result.firstByte);
        }
        if (result.overhead.getTotalCount() > 0) {
            write(options.histograms().resolve(prefix + "overhead-header.hgrm"), result.overhead);
        }
    }

    private static void write(Path file, Histogram histogram) throws IOException {
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8)) {
            histogram.outputPercentileDistribution(out, 1e6); // milliseconds
        }
    }

    private static ThreadFactory daemonFactory() {
        return Thread.ofPlatform().daemon().name("bench-", 0).factory();
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.3f s", d.toMillis() / 1000.0);
    }

    static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.2f", value);
    }

    private static void progress(String format, Object... args) {
        System.err.println("[bench] " + String.format(Locale.ROOT, format, args));
    }
}
