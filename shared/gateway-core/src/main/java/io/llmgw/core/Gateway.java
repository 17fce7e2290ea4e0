package io.llmgw.core;

import io.llmgw.core.pipeline.GatewayServices;

import io.llmgw.core.web.GatewayRequest;

import io.llmgw.core.admin.AdminRoutes;
import io.llmgw.core.resilience.Liveness;
import io.llmgw.core.auth.Authenticator;
import io.llmgw.core.auth.JwtAuthenticator;
import io.llmgw.core.auth.KeyScrubber;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.upstream.UpstreamClient;
import io.llmgw.core.upstream.UpstreamTransport;
import io.llmgw.core.filter.AdmissionFilter;
import io.llmgw.core.filter.AuthenticationFilter;
import io.llmgw.core.filter.BodyFilter;
import io.llmgw.core.filter.CorsFilter;
import io.llmgw.core.filter.Filter;
import io.llmgw.core.filter.RequestChecksFilter;
import io.llmgw.core.model.Ids;
import io.llmgw.core.pipeline.DialectEndpoint;
import io.llmgw.core.pipeline.DialectRoutes;
import io.llmgw.core.cache.ResponseCache;
import io.llmgw.core.dialect.openai.responses.store.ResponseStore;
import io.llmgw.core.limits.Limiting;
import io.llmgw.core.limits.UsageReport;
import io.llmgw.core.pipeline.ModelFilter;
import io.llmgw.core.state.StateStore;
import io.llmgw.core.state.StateStores;
import io.llmgw.core.protocol.openai.OpenAiErrors;
import io.llmgw.core.resilience.HealthChecker;
import io.llmgw.core.resilience.HealthRegistry;
import io.llmgw.core.routing.Attempts;
import io.llmgw.core.routing.CanonicalRelay;
import io.llmgw.core.routing.ModelRouter;
import io.llmgw.core.relay.Relay;
import io.llmgw.core.routing.UpstreamCalls;
import io.llmgw.core.spi.Upstreams;
import io.llmgw.core.stream.StreamSink;
import io.llmgw.core.telemetry.GatewayEvents;
import io.llmgw.core.telemetry.Metrics;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.web.ClientResponse;
import io.llmgw.core.web.Exchange;
import io.llmgw.core.web.HttpPolicy;
import io.llmgw.core.web.Routes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one entry point every platform calls: finds the endpoint for the path, authenticates, and
 * answers through the platform's {@link StreamSink}. Never throws; every failure becomes an
 * answer in the client's dialect (or an in-stream error once a stream started).
 */
public final class Gateway implements AutoCloseable {
    private static final Pattern CLIENT_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final GatewayConfig config;
    private final Authenticator authenticator;
    private final HttpPolicy policy;
    private final UpstreamClient upstreamClient;
    private final Routes routes = new Routes(OpenAiErrors.INSTANCE);
    private final GatewayEvents events;
    private final Metrics metrics;
    private final HealthRegistry health;
    private final Upstreams upstreams;
    private final Liveness liveness = new Liveness();
    private final ServedRequest.Outcomes served;
    /** The gateway's own keys (gateway keys, configured upstream keys); each request adds the key it presents. */
    private final KeyScrubber keys;
    private HealthChecker healthChecker;
    /** Checks, CORS, authentication, admission (draining, MAX_CONCURRENT_REQUESTS), the body: in order, before every endpoint. */
    private final List<Filter> filters;
    private final AdmissionFilter admission;
    /** Limits, budgets, usage counters and stored Responses (in memory unless the configuration names a shared store). */
    private final StateStore stateStore;
    /** Whether model calls never wait on the thread that runs them (see {@link #servesWithoutWaiting}). */
    private final boolean modelCallsNeverWait;
    /** Shutdown has begun: readiness fails and new model requests are refused while those in flight finish. */
    private volatile boolean draining;

    public Gateway(GatewayConfig config) {
        this(config, GatewayEvents.NONE);
    }

    public Gateway(GatewayConfig config, GatewayEvents events) {
        this(config, events, Clock.systemUTC());
    }

    public Gateway(GatewayConfig config, GatewayEvents events, Clock clock) {
        this(config, new Options(events, clock, Metrics.NONE));
    }

    /**
     * What a platform plugs in.
     *
     * @param clock   drives circuit-breaker timing (a test can move it)
     * @param metrics where request and attempt outcomes are recorded
     */
    public record Options(GatewayEvents events, Clock clock, Metrics metrics, List<ModelFilter> modelFilters, StateStore stateStore,
                          UpstreamTransport transport) {
        public Options(GatewayEvents events, Clock clock, Metrics metrics) {
            this(events, clock, metrics, List.of(), null, null);
        }

        public Options(GatewayEvents events, Clock clock, Metrics metrics, List<ModelFilter> modelFilters, StateStore stateStore) {
            this(events, clock, metrics, modelFilters, stateStore, null);
        }

        public static Options defaults() {
            return new Options(GatewayEvents.NONE, Clock.systemUTC(), Metrics.NONE);
        }

        public Options withMetrics(Metrics newMetrics) {
            return new Options(events, clock, newMetrics, modelFilters, stateStore, transport);
        }

        public Options withEvents(GatewayEvents newEvents) {
            return new Options(newEvents, clock, metrics, modelFilters, stateStore, transport);
        }

        /** Policies on decoded, routed model requests (limits, budgets, cache), run in order before each upstream call. */
        public Options withModelFilters(List<ModelFilter> filters) {
            return new Options(events, clock, metrics, List.copyOf(filters), stateStore, transport);
        }

        /** The state store limits, budgets and caches use, instead of the one the configuration names (tests share one). */
        public Options withStateStore(StateStore store) {
            return new Options(events, clock, metrics, modelFilters, store, transport);
        }

        /**
         * What model calls reach network upstreams through, instead of the blocking client on the request's
         * thread (a platform whose answers arrive on event loops); in-process upstreams are answered in-process still.
         */
        public Options withTransport(UpstreamTransport network) {
            return new Options(events, clock, metrics, modelFilters, stateStore, network);
        }
    }

    public Gateway(GatewayConfig config, Options options) {
        this.config = config;
        this.events = options.events();
        this.metrics = options.metrics();
        this.served = new ServedRequest.Outcomes(events, liveness, metrics);
        Clock clock = options.clock();
        this.authenticator = new Authenticator(config.auth(), config.access().virtualKeys(),
                config.access().jwt() == null ? null : new JwtAuthenticator(config.access().jwt()), clock);
        this.stateStore = options.stateStore() != null ? options.stateStore() : StateStores.open(config.access().state());
        List<ModelFilter> modelFilters = new ArrayList<>(Limiting.filters(config.access(), stateStore, metrics, clock));
        ResponseCache.of(config.cache(), stateStore, metrics, clock).ifPresent(modelFilters::add);  // after the limits: a hit still counts
        modelFilters.addAll(options.modelFilters());
        List<String> secrets = new ArrayList<>(config.auth().keys());
        config.providers().values().forEach(p -> secrets.add(p.apiKey()));
        this.keys = new KeyScrubber(secrets);
        this.policy = new HttpPolicy(config.corsAllowedOrigins());
        this.upstreams = new Upstreams(config);
        this.upstreamClient = new UpstreamClient(upstreams.inProcess());
        Relay relay = new Relay(transport(options.transport()), config.keepAlive());
        // Calls whose caller waits for the answer on its own thread (the models list) go through the blocking
        // client: waiting on an event loop for an answer that loop must deliver would never end.
        Relay waiting = options.transport() == null ? relay : new Relay(upstreamClient, config.keepAlive());
        this.health = new HealthRegistry(config, clock);
        this.admission = new AdmissionFilter(() -> draining, config.routing().maxConcurrentRequests());
        this.filters = List.of(new RequestChecksFilter(config.auth().headers()), new CorsFilter(policy),
                new AuthenticationFilter(authenticator, events), admission, new BodyFilter());
        UpstreamCalls calls = new UpstreamCalls(relay, new Attempts(health, config.routing(), metrics,
                options.transport() == null ? Attempts.Pause.SLEEP : Attempts.Pause.TIMER));
        GatewayServices services = new GatewayServices(config, authenticator, new ModelRouter(config, upstreams), waiting, calls,
                new CanonicalRelay(calls), upstreams, health, metrics, System.currentTimeMillis() / 1000, liveness, modelFilters,
                new ResponseStore(config.responsesStore(), stateStore, metrics, clock));
        AdminRoutes.register(routes, services, () -> draining, new UsageReport(config.access(), stateStore, clock)::render);
        DialectRoutes.register(routes, services);
        this.modelCallsNeverWait = options.transport() != null && stateStore.kind().equals("memory") && config.access().jwt() == null;
    }

    /**
     * Whether this request can be served on the thread that read it (an event loop) without that thread
     * ever waiting: a model call — a dialect endpoint's POST — when upstream answers arrive through a
     * transport of their own ({@link Options#withTransport}) and nothing else on the way waits: the state
     * store is in this process (limits, budgets, the cache, stored Responses) and no JWT issuer's keys
     * may have to be fetched. Anything else may wait (a shared store, the models list, the admin routes),
     * and is served on a thread that can. A body still arriving must not be waited for either: the
     * platform's body source says when it is whole ({@link GatewayRequest.BodySource#whenReadable}).
     */
    public boolean servesWithoutWaiting(String method, String path) {
        if (!modelCallsNeverWait || !method.equals("POST")) {
            return false;
        }
        Routes.Match match = routes.match(normalize(path));
        return match != null && match.endpoint() instanceof DialectEndpoint;
    }

    /** The blocking client, or {@code network} for every upstream not answered in-process. */
    private UpstreamTransport transport(UpstreamTransport network) {
        if (network == null) {
            return upstreamClient;
        }
        Set<String> inProcess = Set.copyOf(upstreams.inProcess().keySet());
        return (request, cancellation, listener) -> (inProcess.contains(request.uri().getScheme()) ? upstreamClient : network)
                .send(request, cancellation, listener);
    }

    public GatewayConfig config() {
        return config;
    }

    public HealthRegistry health() {
        return health;
    }

    /**
     * Starts active health checks when the configuration asks for them; for long-running
     * platforms only (nothing runs between Lambda invocations).
     */
    public void startHealthChecks() {
        if (config.routing().healthCheckInterval() != null && healthChecker == null) {
            healthChecker = new HealthChecker(config, health, upstreamClient, upstreams);
            healthChecker.start(config.routing().healthCheckInterval());
        }
    }

    /** Serves one request; its answer may still be on its way, arriving on another thread, when this returns. */
    public void handle(GatewayRequest request, StreamSink sink) {
        handle(request, sink, () -> { });
    }

    /**
     * Serves one request, then runs {@code ended} once it is over — here, or on the thread its answer's
     * last part arrived on when that outlives this call ({@link ClientResponse#resumed}).
     */
    public void handle(GatewayRequest request, StreamSink sink, Runnable ended) {
        ServedRequest serving;
        try {
            RequestContext ctx = new RequestContext(requestId(request), System.nanoTime());
            ctx.deadline(request.deadline());
            KeyScrubber scrubber = keys.with(authenticator.presentedKey(request.headers()));
            ClientResponse out = new ClientResponse(sink, ctx, policy.commonHeaders(request.headers()), scrubber);
            serving = new ServedRequest(request, ctx, out, scrubber, routes.errorsFor(normalize(request.path())), ended, served);
        } catch (RuntimeException | Error e) {
            ended.run();
            throw e;
        }
        serve(serving, sink);
    }

    private void serve(ServedRequest serving, StreamSink sink) {
        GatewayRequest request = serving.request();
        RequestContext ctx = serving.ctx();
        ClientResponse out = serving.out();
        String path = normalize(request.path());
        // A client that goes away cancels the upstream call: the context aborts the exchange in flight
        // (closing its connection, whatever kind of thread waits on it), the attempt loop stops, and
        // interrupting this thread ends any other wait (a back-off between attempts, a state store).
        Thread worker = Thread.currentThread();
        java.util.concurrent.atomic.AtomicBoolean working = new java.util.concurrent.atomic.AtomicBoolean(true);
        sink.onDisconnect(() -> {
            ctx.clientGone(true);
            synchronized (working) {
                if (working.get()) {
                    worker.interrupt();
                }
            }
        });
        out.resumeWith(serving::resume);
        boolean elsewhere = false;
        try {
            elsewhere = serving.runFirst(() -> {
                Routes.Match match = request.method().equals("OPTIONS") ? null : routes.match(path);
                if (match != null) {
                    serving.errors(match.endpoint().errors());
                    ctx.dialect(match.endpoint().dialect());
                }
                dispatch(request, match, ctx, out);
            });
        } finally {
            synchronized (working) {
                working.set(false);
                Thread.interrupted();  // a disconnect's interrupt must not outlive this request
            }
            if (!elsewhere) {
                serving.end();
            }
        }
    }

    /** The request through the filters to its endpoint. */
    private void dispatch(GatewayRequest request, Routes.Match match, RequestContext ctx, ClientResponse out) {
        Exchange exchange = new Exchange(request, match == null ? null : match.endpoint(), match == null ? Map.of() : match.pathParams(),
                null, ctx, out);
        Filter.run(filters, exchange, e -> e.endpoint().handle(e));
    }

    /**
     * The body of an error the platform detected itself, before the gateway saw the request (a
     * request it could not parse, headers over its limit): JSON in the dialect the path implies.
     */
    public byte[] platformErrorBody(String path, int status, String message) {
        GatewayError error = new GatewayError(status >= 500 ? ErrorKind.INTERNAL : io.llmgw.core.protocol.UpstreamErrors.kindOf(status),
                status, message, null, null, null, null);
        return routes.errorsFor(normalize(path)).body(error);
    }

    /**
     * Starts (or, with {@code false}, calls off) draining before shutdown: {@code /health} and
     * {@code /health/ready} answer 503 so load balancers stop sending traffic, and new model
     * requests get a retryable 503 in their dialect, while requests in flight go on. The platform
     * then waits for {@link #inFlightRequests()} to reach zero before it stops serving.
     */
    public void draining(boolean on) {
        draining = on;
    }

    public boolean draining() {
        return draining;
    }

    /** Requests being served right now by model endpoints (the in-flight gauge). */
    public int inFlightRequests() {
        return admission.inFlight();
    }

    private static String normalize(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static String requestId(GatewayRequest request) {
        String fromClient = request.headers().first("x-request-id");
        if (fromClient != null && CLIENT_REQUEST_ID.matcher(fromClient).matches()) {
            return fromClient;
        }
        if (request.platformRequestId() != null) {
            return request.platformRequestId();
        }
        return Ids.random("req_");
    }

    @Override
    public void close() {
        if (healthChecker != null) {
            healthChecker.close();
        }
        upstreamClient.close();
        stateStore.close();
    }

    public StateStore stateStore() {
        return stateStore;
    }
}
