package io.llmgw.bench;

import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** The markdown report: one table per mode, then a summary against the latency targets. */
final class Report {
    private static final double[] PERCENTILES = {50, 90, 99, 99.9};

    private Report() {}

    static String markdown(Options o, String startedAt, List<List<PhaseResult>> byMode, double targetP50, double targetP99) {
        StringBuilder md = new StringBuilder();
        md.append("# Gateway load benchmark\n\n");
        if (o.label() != null && !o.label().isBlank()) {
            md.append("**").append(o.label()).append("**\n\n");
        }
        md.append("- started ").append(startedAt).append("; ").append(Runtime.getRuntime().availableProcessors())
                .append(" CPUs, ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
                .append(", client JVM ").append(System.getProperty("java.vm.name")).append(' ')
                .append(Runtime.version()).append('\n');
        md.append("- open loop at ").append(LoadBenchmark.number(o.rate())).append(" req/s; per target and mode: warm-up ")
                .append(LoadBenchmark.seconds(o.warmup()))
                .append(" (not recorded; the rate ramps from 10 % to 100 % over its first half), then ")
                .append(LoadBenchmark.seconds(o.duration())).append(" measured")
                .append(o.alternate() ? "; during the measurement the targets take turns every " + LoadBenchmark.seconds(o.slice())
                        + " (so drift from JIT, GC or other processes hits them alike)"
                        : "; targets measured one after the other, direct first").append('\n');
        md.append("- latency is measured from each request's intended start time (coordinated-omission safe); client: ")
                .append(o.client() == Options.ClientKind.RAW ? "raw HTTP/1.1 sockets with a keep-alive pool"
                        : "java.net.http.HttpClient, HTTP/1.1")
                .append(", ").append(o.workers().name().toLowerCase(Locale.ROOT)).append(" worker threads (one per request)\n");
        md.append("- direct: `").append(o.directUrl()).append("`");
        if (o.gatewayUrl() != null) {
            md.append("; gateway: `").append(o.gatewayUrl()).append("` (to the same fake upstream)");
        }
        if (o.relayUrl() != null) {
            md.append("; relay: `").append(o.relayUrl()).append("` (calibration: ").append(o.relayKind().description).append(')');
        }
        md.append("\n- all times in milliseconds; \"added\" is the target minus direct at the same percentile\n");

        for (List<PhaseResult> results : byMode) {
            Options.Mode mode = results.get(0).mode;
            boolean streaming = mode == Options.Mode.STREAMING;
            PhaseResult direct = results.get(0);
            md.append("\n## ").append(mode.label)
                    .append(streaming ? " (first byte of the body, and end of stream)" : " (latency = complete response)")
                    .append("\n\n");
            md.append("| target | measure | p50 | p90 | p99 | p99.9 | max | ok | errors | achieved req/s |\n");
            md.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
            for (PhaseResult r : results) {
                if (streaming) {
                    row(md, r, "first body byte", r.firstByte);
                    row(md, r, "end of stream", r.end);
                } else {
                    row(md, r, "complete response", r.end);
                }
            }
            for (PhaseResult r : results.subList(1, results.size())) {
                if (streaming) {
                    added(md, r.target, "first body byte", direct.firstByte, r.firstByte);
                    added(md, r.target, "end of stream", direct.end, r.end);
                } else {
                    added(md, r.target, "complete response", direct.end, r.end);
                }
            }
            PhaseResult gateway = find(results, "gateway");
            if (gateway != null) {
                Histogram h = gateway.overhead;
                md.append("| gateway | `x-gateway-overhead-ms` header |");
                for (double p : PERCENTILES) {
                    md.append(' ').append(h.getTotalCount() == 0 ? "–" : LoadBenchmark.ms(h.getValueAtPercentile(p))).append(" |");
                }
                md.append(' ').append(h.getTotalCount() == 0 ? "–" : LoadBenchmark.ms(h.getMaxValue()))
                        .append(" | ").append(h.getTotalCount()).append(" | | |\n");
            }
            md.append('\n');
            for (int i = 0; i < results.size(); i++) {
                notes(md, o, results.get(i), i == 0 || results.get(i).cpu != results.get(i - 1).cpu);
            }
        }

        if (byMode.stream().anyMatch(results -> find(results, "gateway") != null)) {
            md.append("\n## Summary against the targets (gateway added p50 ≤ ").append(fmt(targetP50))
                    .append(" ms, added p99 ≤ ").append(fmt(targetP99)).append(" ms)\n\n");
            md.append("| mode | measure | added p50 | added p99 | p50 target | p99 target | overhead header p50 | overhead header p99 "
                    + "| errors direct / gateway |");
            boolean relay = byMode.stream().anyMatch(results -> find(results, "relay") != null);
            if (relay) {
                md.append(' ').append(o.relayKind().column).append(" added p50 / p99 |");
            }
            md.append("\n|---|---|--:|--:|:-:|:-:|--:|--:|--:|").append(relay ? "--:|" : "").append('\n');
            for (List<PhaseResult> results : byMode) {
                PhaseResult d = results.get(0);
                PhaseResult g = find(results, "gateway");
                if (g == null) {
                    continue;
                }
                PhaseResult r = find(results, "relay");
                if (d.mode == Options.Mode.STREAMING) {
                    summary(md, d, g, r, "first body byte", d.firstByte, g.firstByte, r == null ? null : r.firstByte, relay,
                            targetP50, targetP99);
                    summary(md, d, g, r, "end of stream", d.end, g.end, r == null ? null : r.end, relay, targetP50, targetP99);
                } else {
                    summary(md, d, g, r, "complete response", d.end, g.end, r == null ? null : r.end, relay, targetP50, targetP99);
                }
            }
        }
        return md.toString();
    }

    private static PhaseResult find(List<PhaseResult> results, String target) {
        return results.stream().filter(r -> r.target.equals(target)).findFirst().orElse(null);
    }

    private static void notes(StringBuilder md, Options o, PhaseResult r, boolean cpuLine) {
        md.append("- ").append(r.target).append(": ").append(r.sent.get()).append(" sent, ")
                .append(r.ok.get()).append(" ok, ").append(r.errors.get()).append(" errors")
                .append(r.unfinished > 0 ? ", " + r.unfinished + " unfinished" : "")
                .append(", ").append(r.warmupErrors.get()).append(" warm-up errors; dispatch lag p99 ")
                .append(LoadBenchmark.ms(r.dispatchLag.getValueAtPercentile(99))).append(" / max ")
                .append(LoadBenchmark.ms(r.dispatchLag.getMaxValue())).append("; max in flight ").append(r.maxInFlight);
        if (r.connectionsOpened >= 0 && o.client() == Options.ClientKind.RAW) {
            md.append("; new connections during the measurement ").append(r.connectionsOpened);
            if (r.staleRetries > 0) {
                md.append(", ").append(r.staleRetries).append(" retried on a new connection");
            }
        }
        if (r.target.equals("gateway") && r.missingOverhead.get() > 0) {
            md.append("; ").append(r.missingOverhead.get()).append(" responses without the overhead header");
        }
        md.append('\n');
        if (r.cpu != null && cpuLine) {
            md.append("  - CPU used during the measured window (").append(String.format(Locale.ROOT, "%.1f", r.cpu.seconds()))
                    .append(" s), in cores (of ").append(Runtime.getRuntime().availableProcessors()).append("): ");
            r.cpu.processCores().forEach((name, cores) ->
                    md.append(name).append(' ').append(String.format(Locale.ROOT, "%.2f", cores)).append(", "));
            md.append("other processes ").append(String.format(Locale.ROOT, "%.2f", r.cpu.others())).append('\n');
        }
        Double own = r.cpu == null ? null : r.cpu.processCores().get(r.target);
        if (own != null && r.ok.get() > 0) {
            md.append("  - ").append(r.target).append(" process CPU per request: ")
                    .append(String.format(Locale.ROOT, "%.3f", own * r.cpu.seconds() * 1000 / r.ok.get())).append(" ms\n");
        }
        for (String sample : r.errorSamples) {
            md.append("  - error: ").append(sample.replace('|', '/')).append('\n');
        }
    }

    private static void row(StringBuilder md, PhaseResult r, String measure, Histogram h) {
        md.append("| ").append(r.target).append(" | ").append(measure).append(" |");
        for (double p : PERCENTILES) {
            md.append(' ').append(h.getTotalCount() == 0 ? "–" : LoadBenchmark.ms(h.getValueAtPercentile(p))).append(" |");
        }
        md.append(' ').append(h.getTotalCount() == 0 ? "–" : LoadBenchmark.ms(h.getMaxValue())).append(" | ")
                .append(r.ok.get()).append(" | ").append(r.errors.get() + r.unfinished).append(" | ")
                .append(String.format(Locale.ROOT, "%.1f", r.achievedRate())).append(" |\n");
    }

    private static void added(StringBuilder md, String target, String measure, Histogram direct, Histogram other) {
        md.append("| **added** (").append(target).append(" − direct) | ").append(measure).append(" |");
        for (double p : PERCENTILES) {
            md.append(" **").append(diff(direct, other, p)).append("** |");
        }
        md.append(" | | | |\n");
    }

    private static void summary(StringBuilder md, PhaseResult d, PhaseResult g, PhaseResult r, String measure, Histogram dh,
                                Histogram gh, Histogram rh, boolean relayColumn, double targetP50, double targetP99) {
        double p50 = addedMillis(dh, gh, 50);
        double p99 = addedMillis(dh, gh, 99);
        md.append("| ").append(d.mode.label).append(" | ").append(measure).append(" | ")
                .append(diff(dh, gh, 50)).append(" | ").append(diff(dh, gh, 99)).append(" | ")
                .append(Double.isNaN(p50) ? "–" : p50 <= targetP50 ? "met" : "**missed**").append(" | ")
                .append(Double.isNaN(p99) ? "–" : p99 <= targetP99 ? "met" : "**missed**").append(" | ")
                .append(g.overhead.getTotalCount() == 0 ? "–" : LoadBenchmark.ms(g.overhead.getValueAtPercentile(50))).append(" | ")
                .append(g.overhead.getTotalCount() == 0 ? "–" : LoadBenchmark.ms(g.overhead.getValueAtPercentile(99))).append(" | ")
                .append(d.errors.get() + d.unfinished).append(" / ").append(g.errors.get() + g.unfinished).append(" |");
        if (relayColumn) {
            md.append(' ').append(rh == null ? "–" : diff(dh, rh, 50) + " / " + diff(dh, rh, 99)).append(" |");
        }
        md.append('\n');
    }

    private static double addedMillis(Histogram direct, Histogram other, double percentile) {
        if (direct.getTotalCount() == 0 || other.getTotalCount() == 0) {
            return Double.NaN;
        }
        return (other.getValueAtPercentile(percentile) - direct.getValueAtPercentile(percentile)) / 1e6;
    }

    private static String diff(Histogram direct, Histogram other, double percentile) {
        double value = addedMillis(direct, other, percentile);
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%+.3f", value);
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
