package io.llmgw.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Command-line options of {@link LoadBenchmark}; {@code --name value} or {@code --name=value}. */
record Options(
        URI directUrl,
        URI gatewayUrl,
        URI relayUrl,
        RelayKind relayKind,
        double rate,
        Duration duration,
        Duration warmup,
        boolean alternate,
        Duration slice,
        List<Mode> modes,
        ClientKind client,
        WorkerKind workers,
        Duration timeout,
        String model,
        String apiKey,
        boolean distinct,
        Path out,
        Path histograms,
        Path requestsLog,
        String label,
        java.util.Map<String, Long> cpuPids) {

    enum Mode {
        NON_STREAMING("non-streaming"), STREAMING("streaming");

        final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    enum ClientKind { RAW, JDK }

    /** What listens at the relay URL: named in the report, which reads the relay's figures as a floor. */
    enum RelayKind {
        TCP("TCP relay", "a plain TCP relay to the same upstream (TcpRelayMain), no HTTP work"),
        EVENT_LOOP("event-loop proxy", "an HTTP proxy on Netty event loops (EventLoopProxyMain), no gateway work"),
        EVENT_LOOP_WORK("event-loop proxy with the gateway's work", "an HTTP proxy on Netty event loops (EventLoopProxyMain) "
                + "that also does the gateway's own work for each request on its loop, answered in-process"),
        BASELINE("baseline gateway", "another build of the gateway (run-load.sh's BENCH_BASELINE_JAR), configured alike: "
                + "a before/after comparison in one window");

        final String column;
        final String description;

        RelayKind(String column, String description) {
            this.column = column;
            this.description = description;
        }
    }

    enum WorkerKind { VIRTUAL, PLATFORM }

    static final String USAGE = """
            Usage: java -jar gateway-bench.jar [options]
              --direct-url URL    the fake upstream's chat-completions URL (default http://127.0.0.1:18081/v1/chat/completions)
              --gateway-url URL   the gateway's chat-completions URL (default http://127.0.0.1:18080/v1/chat/completions);
                                  'none' measures the direct target only
              --relay-url URL     optional third target for calibration: a plain TCP relay (TcpRelayMain) to the same
                                  upstream, i.e. the cost of one extra loopback hop with no HTTP work
              --relay-kind K      what listens at --relay-url, for the report: tcp (TcpRelayMain, default), event-loop
                                  (EventLoopProxyMain, an HTTP proxy on Netty event loops), event-loop-work (the same,
                                  doing the gateway's own work for each request too) or baseline (another gateway build)
              --rate N            requests per second, open loop (default 1000)
              --duration T        measured time per target and mode, e.g. 30s, 500ms, 2m (default 30s)
              --warmup T          unrecorded warm-up of each target before the measurement; the rate ramps from 10 % to
                                  100 % over its first half, then holds (default 10s)
              --schedule S        alternate: the targets take turns in slices during one measured window (default), so
                                  drift (JIT, GC, other processes) hits them alike; sequential: one target after the other
              --slice T           length of a turn with --schedule alternate (default 1s)
              --mode M            both | non-streaming | streaming (default both)
              --client C          raw (HTTP/1.1 on plain sockets, keep-alive pool) | jdk (java.net.http, HTTP/1.1) (default raw)
              --workers W         virtual | platform: threads that run the requests (default virtual)
              --timeout T         per-request timeout (default 10s)
              --model NAME        the request's model (default gpt-4o-mini)
              --api-key KEY       sent as Authorization: Bearer KEY (default sk-bench-0000)
              --requests R        same | distinct: every request the same (default), or each with a number of its
                                  own in its message, so that a response cache never answers it
              --out FILE          also write the markdown report to FILE
              --histograms DIR    also write each histogram's percentile distribution (.hgrm) to DIR
              --requests-log FILE also write every measured request to FILE as CSV: mode, target, intended start
                                  (epoch microseconds), first byte and end (microseconds after it), overhead header
                                  (ms); shows whether the slowest requests come in bursts or near the gateway's pauses
              --label TEXT        a note printed in the report's heading (e.g. the run's settings)
              --cpu-pids LIST     processes whose CPU use to report per phase, e.g. upstream=123,gateway=456 (Linux)
            Exit status: 0 every measured request succeeded; 1 some failed; 2 bad options; 3 a target answered 429
            (warm-up included): a limit refused requests, so the figures are not those of admitted requests.
            """;

    static Options parse(String[] args) {
        URI direct = URI.create("http://127.0.0.1:18081/v1/chat/completions");
        URI gateway = URI.create("http://127.0.0.1:18080/v1/chat/completions");
        URI relay = null;
        RelayKind relayKind = RelayKind.TCP;
        double rate = 1000;
        Duration duration = Duration.ofSeconds(30);
        Duration warmup = Duration.ofSeconds(10);
        boolean alternate = true;
        Duration slice = Duration.ofSeconds(1);
        List<Mode> modes = List.of(Mode.NON_STREAMING, Mode.STREAMING);
        ClientKind client = ClientKind.RAW;
        WorkerKind workers = WorkerKind.VIRTUAL;
        Duration timeout = Duration.ofSeconds(10);
        String model = "gpt-4o-mini";
        String apiKey = "sk-bench-0000";
        boolean distinct = false;
        Path out = null;
        Path histograms = null;
        Path requestsLog = null;
        String label = null;
        java.util.Map<String, Long> cpuPids = new java.util.LinkedHashMap<>();

        List<String> list = new ArrayList<>(List.of(args));
        for (int i = 0; i < list.size(); i++) {
            String arg = list.get(i);
            if (arg.equals("-h") || arg.equals("--help")) {
                throw new UsageException(null);
            }
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            String name;
            String value;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(2, eq);
                value = arg.substring(eq + 1);
            } else {
                name = arg.substring(2);
                if (i + 1 >= list.size()) {
                    throw new UsageException("--" + name + " needs a value");
                }
                value = list.get(++i);
            }
            try {
                switch (name) {
                    case "direct-url" -> direct = URI.create(value);
                    case "gateway-url" -> gateway = value.equalsIgnoreCase("none") || value.isBlank() ? null : URI.create(value);
                    case "relay-url" -> relay = value.equalsIgnoreCase("none") || value.isBlank() ? null : URI.create(value);
                    case "relay-kind" -> relayKind = switch (value.toLowerCase(Locale.ROOT)) {
                        case "tcp" -> RelayKind.TCP;
                        case "event-loop" -> RelayKind.EVENT_LOOP;
                        case "event-loop-work" -> RelayKind.EVENT_LOOP_WORK;
                        case "baseline" -> RelayKind.BASELINE;
                        default -> throw new UsageException("--relay-kind must be tcp, event-loop, event-loop-work or baseline");
                    };
                    case "rate" -> rate = Double.parseDouble(value);
                    case "duration" -> duration = duration(value);
                    case "warmup" -> warmup = duration(value);
                    case "schedule" -> alternate = switch (value.toLowerCase(Locale.ROOT)) {
                        case "alternate", "interleaved" -> true;
                        case "sequential" -> false;
                        default -> throw new UsageException("--schedule must be alternate or sequential");
                    };
                    case "slice" -> slice = duration(value);
                    case "mode" -> modes = switch (value.toLowerCase(Locale.ROOT)) {
                        case "both", "all" -> List.of(Mode.NON_STREAMING, Mode.STREAMING);
                        case "non-streaming", "nonstreaming", "plain", "json" -> List.of(Mode.NON_STREAMING);
                        case "streaming", "stream", "sse" -> List.of(Mode.STREAMING);
                        default -> throw new UsageException("--mode must be both, non-streaming or streaming");
                    };
                    case "client" -> client = ClientKind.valueOf(value.toUpperCase(Locale.ROOT));
                    case "workers" -> workers = WorkerKind.valueOf(value.toUpperCase(Locale.ROOT));
                    case "timeout" -> timeout = duration(value);
                    case "model" -> model = value;
                    case "api-key" -> apiKey = value;
                    case "requests" -> distinct = switch (value.toLowerCase(Locale.ROOT)) {
                        case "same" -> false;
                        case "distinct" -> true;
                        default -> throw new UsageException("--requests must be same or distinct");
                    };
                    case "out" -> out = Path.of(value);
                    case "histograms" -> histograms = Path.of(value);
                    case "requests-log" -> requestsLog = Path.of(value);
                    case "label" -> label = value;
                    case "cpu-pids" -> {
                        cpuPids.clear();
                        for (String pair : value.split(",")) {
                            if (pair.isBlank()) {
                                continue;
                            }
                            int eqSign = pair.indexOf('=');
                            if (eqSign <= 0) {
                                throw new UsageException("--cpu-pids wants name=pid pairs, e.g. upstream=123,gateway=456");
                            }
                            cpuPids.put(pair.substring(0, eqSign).trim(), Long.parseLong(pair.substring(eqSign + 1).trim()));
                        }
                    }
                    default -> throw new UsageException("unknown option --" + name);
                }
            } catch (IllegalArgumentException e) {
                if (e instanceof UsageException) {
                    throw e;
                }
                throw new UsageException("bad value for --" + name + ": '" + value + "'");
            }
        }
        if (!(rate > 0) || rate > 1_000_000) {
            throw new UsageException("--rate must be between 0 and 1000000");
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new UsageException("--duration must be positive");
        }
        if (slice.isZero() || slice.isNegative()) {
            throw new UsageException("--slice must be positive");
        }
        if (warmup.isNegative()) {
            throw new UsageException("--warmup must not be negative");
        }
        for (URI uri : new URI[] {direct, gateway, relay}) {
            if (uri != null && (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null)) {
                throw new UsageException("only http:// URLs are supported: " + uri);
            }
        }
        return new Options(direct, gateway, relay, relayKind, rate, duration, warmup, alternate, slice, modes, client, workers, timeout, model, apiKey, distinct, out,
                histograms, requestsLog, label, java.util.Map.copyOf(cpuPids));
    }

    /** {@code 30}, {@code 30s}, {@code 500ms}, {@code 2m}, or ISO-8601 ({@code PT30S}). */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("pt")) {
            return Duration.parse(t);
        }
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
        }
        if (t.endsWith("m")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000));
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
    }

    static final class UsageException extends IllegalArgumentException {
        UsageException(String message) {
            super(message);
        }
    }
}
