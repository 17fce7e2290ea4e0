package io.llmgw.app;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.llmgw.core.Gateway;
import io.llmgw.core.resilience.DeploymentHealth;
import io.llmgw.core.telemetry.Metrics;
import io.llmgw.core.telemetry.RequestContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The gateway's metrics port on Micrometer, exposed in Prometheus' text format on
 * {@code /metrics}: gateway_requests_total, gateway_request_duration_seconds,
 * gateway_time_to_first_token_seconds, gateway_provider_requests_total, gateway_tokens_total (by kind,
 * model, key, team), gateway_cost_usd_total, gateway_state_store_errors_total, gateway_errors_total, gateway_circuit_breaker_state (0 closed, 1 open, 2 half-open),
 * gateway_in_flight_requests, and the response cache's gateway_cache_hits_total, gateway_cache_misses_total,
 * gateway_cache_bypasses_total (by model route), gateway_cache_bytes (sizes of the answers stored),
 * gateway_cache_skipped_total (complete answers not stored, by reason) and gateway_cache_evictions_total.
 */
final class PrometheusMetrics implements Metrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MultiGauge breakerStates = MultiGauge.builder("gateway.circuit.breaker.state")
            .description("Circuit state per deployment: 0 closed, 1 open, 2 half-open").register(registry);
    private Supplier<Gateway> gateway = () -> null;
    /*
     * The meters every model request updates, looked up by their label values. Asking the registry instead
     * (a builder, sorted and de-duplicated tags, an id to hash) on every request was 3 % of the gateway's CPU
     * samples at saturation, and HotSpot kept recompiling Micrometer's tag sorting (README › Benchmarks).
     * Every label value comes from configuration or a fixed set, so these maps stay as small as the registry.
     */
    private final Map<RequestLabels, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();
    private final Map<String, Timer> firstTokens = new ConcurrentHashMap<>();
    private final Map<PayerLabels, Payer> payers = new ConcurrentHashMap<>();
    private final Map<AttemptLabels, Counter> attempts = new ConcurrentHashMap<>();

    private record RequestLabels(String dialect, String model, int status) {
    }

    private record AttemptLabels(String provider, String deployment, String outcome) {
    }

    private record PayerLabels(String model, String key, String team) {
    }

    /** Gauges read the gateway when scraped; it is created after this port, so it is handed over late. */
    void bind(Supplier<Gateway> source) {
        this.gateway = source;
        Gauge.builder("gateway.in.flight.requests", () -> {
            Gateway g = gateway.get();
            return g == null ? 0 : g.inFlightRequests();
        }).description("Model requests being served").register(registry);
    }

    @Override
    public void requestFinished(RequestContext ctx) {
        if (ctx.dialect().equals("probe") || ctx.dialect().equals("metrics") || ctx.dialect().equals("none")) {
            return;
        }
        // The configured route (exact name or glob), never the requested name: labels come from configuration only.
        String model = ctx.route() != null ? ctx.route() : "none";
        requests.computeIfAbsent(new RequestLabels(ctx.dialect(), model, ctx.status()), labels -> Counter.builder("gateway.requests")
                .tags("dialect", labels.dialect(), "model", labels.model(), "status", Integer.toString(labels.status()))
                .register(registry)).increment();
        durations.computeIfAbsent(ctx.dialect(), dialect -> timer("gateway.request.duration", dialect))
                .record((long) (ctx.durationMillis() * 1e6), TimeUnit.NANOSECONDS);
        double ttfb = ctx.timeToFirstByteMillis();
        if (ttfb >= 0 && ctx.upstream() != null) {
            firstTokens.computeIfAbsent(ctx.dialect(), dialect -> timer("gateway.time.to.first.token", dialect))
                    .record((long) (ttfb * 1e6), TimeUnit.NANOSECONDS);
        }
        io.llmgw.core.model.Usage usage = ctx.usage();
        if (usage != null) {
            Payer payer = payers.computeIfAbsent(new PayerLabels(model, ctx.meteredKey(), ctx.meteredTeam()), Payer::new);
            payer.tokens("input", usage.inputTokens());
            payer.tokens("output", usage.outputTokens());
            payer.tokens("cache_read", usage.cacheReadTokens());
            payer.tokens("cache_write", usage.cacheWriteTokens());
            payer.tokens("reasoning", usage.reasoningTokens());
            if (ctx.costUsd() != null) {
                payer.costUsd(ctx.costUsd());
            }
        }
        if (ctx.errorKind() != null) {
            Counter.builder("gateway.errors").tags("class", ctx.errorKind()).register(registry).increment();
        }
        if (ctx.cache() != null) {
            cache(ctx, model);
        }
    }

    private Timer timer(String name, String dialect) {
        return Timer.builder(name).tags("dialect", dialect).publishPercentileHistogram().register(registry);
    }

    /** One payer's token and cost counters, each registered when first counted. */
    private final class Payer {
        private static final String COST = "gateway.cost.usd";  // its key among the counters; never a token kind
        private final Tags tags;
        private final Map<String, Counter> counters = new ConcurrentHashMap<>();

        Payer(PayerLabels labels) {
            // key and team labels are configured names (virtual keys, teams), never a caller's string
            this.tags = Tags.of("model", labels.model(), "key", labels.key(), "team", labels.team());
        }

        void tokens(String kind, Integer count) {
            if (count != null) {
                counters.computeIfAbsent(kind, k -> Counter.builder("gateway.tokens").tags(tags.and("kind", k)).register(registry))
                        .increment(count);
            }
        }

        void costUsd(double usd) {
            counters.computeIfAbsent(COST, name -> Counter.builder(name).description("US dollars spent, from the price table")
                    .tags(tags).register(registry)).increment(usd);
        }
    }

    private void cache(RequestContext ctx, String model) {
        String name = switch (ctx.cache()) {
            case "hit" -> "gateway.cache.hits";
            case "miss" -> "gateway.cache.misses";
            default -> "gateway.cache.bypasses";
        };
        Counter.builder(name).description("Model requests by what the response cache did with them").tags("model", model)
                .register(registry).increment();
        if (ctx.cacheStoredBytes() > 0) {
            DistributionSummary.builder("gateway.cache.bytes").description("Sizes of the answers stored in the response cache")
                    .baseUnit("bytes").register(registry).record(ctx.cacheStoredBytes());
        }
        if (ctx.cacheSkipped() != null) {
            Counter.builder("gateway.cache.skipped").description("Complete answers the response cache did not store")
                    .tags("reason", ctx.cacheSkipped()).register(registry).increment();
        }
    }

    @Override
    public void cacheEvicted() {
        Counter.builder("gateway.cache.evictions").description("Answers the in-memory response cache dropped to stay within its size")
                .register(registry).increment();
    }

    @Override
    public void stateStoreFailure(String operation) {
        Counter.builder("gateway.state.store.errors").description("State-store operations that failed (limits failed open or closed)")
                .tags("operation", operation).register(registry).increment();
    }

    @Override
    public void responseNotStored(String reason) {
        Counter.builder("gateway.responses.not.stored").description("Finished Responses that could not be stored for previous_response_id")
                .tags("reason", reason).register(registry).increment();
    }

    @Override
    public void attempt(String provider, String deployment, String outcome) {
        attempts.computeIfAbsent(new AttemptLabels(provider, deployment, outcome), labels -> Counter.builder("gateway.provider.requests")
                .tags("provider", labels.provider(), "deployment", labels.deployment(), "outcome", labels.outcome())
                .register(registry)).increment();
    }

    @Override
    public byte[] exposition() {
        Gateway g = gateway.get();
        if (g != null) {
            breakerStates.register(g.health().all().stream()
                    .map(d -> MultiGauge.Row.of(Tags.of("deployment", d.label()), stateValue(d)))
                    .toList(), true);
        }
        return registry.scrape().getBytes(StandardCharsets.UTF_8);
    }

    private static int stateValue(DeploymentHealth d) {
        CircuitBreaker.State state = d.state();
        return state == CircuitBreaker.State.OPEN ? 1 : state == CircuitBreaker.State.HALF_OPEN ? 2 : 0;
    }
}
