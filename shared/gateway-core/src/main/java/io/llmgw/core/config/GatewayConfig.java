package io.llmgw.core.config;

import io.llmgw.core.config.load.ConfigLoader;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The effective, validated configuration. Built by {@link ConfigLoader}; immutable.
 *
 * @param keepAlive how long a started stream may stay silent before the gateway sends the
 *                  client's keep-alive frame (Anthropic ping, SSE comment)
 * @param routing   deadlines, retries, circuit breakers and concurrency limits
 * @param publicMetrics whether {@code /metrics} and {@code /health/providers} answer without a
 *                      gateway key ({@code admin.public_metrics}); by default they need one
 * @param access        virtual keys, JWT, limits, budgets, the state store and prices
 * @param cache         the exact response cache
 * @param responsesStore stored Responses: on or off, TTL, encryption, size bound
 */
public record GatewayConfig(
        int port,
        Auth auth,
        List<String> corsAllowedOrigins,
        boolean configEndpointEnabled,
        Map<String, Provider> providers,
        List<Model> models,
        Duration keepAlive,
        Routing routing,
        boolean publicMetrics,
        AccessConfig access,
        CacheConfig cache,
        ResponsesStoreConfig responsesStore) {

    /** Without a response cache, with stored Responses as by default. */
    public GatewayConfig(int port, Auth auth, List<String> corsAllowedOrigins, boolean configEndpointEnabled, Map<String, Provider> providers,
                         List<Model> models, Duration keepAlive, Routing routing, boolean publicMetrics, AccessConfig access) {
        this(port, auth, corsAllowedOrigins, configEndpointEnabled, providers, models, keepAlive, routing, publicMetrics, access,
                CacheConfig.OFF, ResponsesStoreConfig.defaults());
    }

    /**
     * @param keys    gateway keys clients present
     * @param headers the request headers a key is accepted from, lower case
     */
    public record Auth(AuthMode mode, List<String> keys, List<String> headers) {}

    /**
     * An upstream endpoint and its credential.
     *
     * @param type           the provider type (a {@code ProviderFactory}'s name), e.g. {@code openai}
     * @param apiKey         null when the provider takes no key (local servers, the mock, AWS roles)
     * @param maxConcurrency calls in flight to this provider at once, or null for no limit
     * @param settings       the type's own settings, read by its factory
     */
    public record Provider(
            String name,
            String type,
            String apiKey,
            Duration connectTimeout,
            Duration timeout,
            Integer maxConcurrency,
            ProviderSettings settings) {

        /** The type's own settings as its record, e.g. {@code settings(OpenAiSettings.class)}. */
        public <T extends ProviderSettings> T settings(Class<T> kind) {
            return kind.cast(settings);
        }
    }

    /**
     * A model name clients ask for (exact, or a glob with {@code *} and {@code ?}) and the
     * deployments that serve it.
     *
     * @param strategy how the deployment to try first is chosen; the others follow as fallbacks
     * @param condense when no deployment's context window fits, drop the oldest turns instead of failing
     */
    public record Model(String name, List<DeploymentConfig> deployments, Strategy strategy, boolean condense) {
        public Model(String name, List<DeploymentConfig> deployments) {
            this(name, deployments, Strategy.PRIORITY, false);
        }

        public boolean isPattern() {
            return name.indexOf('*') >= 0 || name.indexOf('?') >= 0;
        }
    }

    /**
     * @param model           the upstream model or Azure deployment; null = the name the client asked for
     * @param maxOutputTokens the upstream's output-token ceiling; client requests above it are clamped
     * @param reasoning       whether the upstream model is a reasoning model (takes reasoning effort,
     *                        refuses sampling parameters); null = infer from the model name
     * @param weight          share of traffic under the weighted strategy (default 1)
     * @param contextWindow   the model's context window in tokens, or null when unknown
     * @param cost            prices for the cost strategy, or null when unknown
     * @param thinking        the Anthropic thinking forms the model accepts (anthropic deployments only),
     *                        or null to tell them from the model name
     */
    public record DeploymentConfig(String provider, String model, Integer maxOutputTokens, Boolean reasoning, int weight,
                             Integer contextWindow, Cost cost, ThinkingSupport thinking) {
        public DeploymentConfig(String provider, String model, Integer maxOutputTokens, Boolean reasoning) {
            this(provider, model, maxOutputTokens, reasoning, 1, null, null, null);
        }

        public DeploymentConfig(String provider, String model, Integer maxOutputTokens, Boolean reasoning, int weight,
                          Integer contextWindow, Cost cost) {
            this(provider, model, maxOutputTokens, reasoning, weight, contextWindow, cost, null);
        }
    }

    /** US dollars per million input and output tokens. */
    public record Cost(double inputPerMtok, double outputPerMtok) {}

    /** How a model's deployments are ordered for each request. */
    public enum Strategy {
        PRIORITY, ROUND_ROBIN, WEIGHTED, LEAST_LATENCY, COST;

        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @param deadline              one budget for all attempts of a request, failover included
     * @param retries               extra attempts after the first, across the model's deployments
     * @param backoffInitial        first wait before retrying a deployment already tried (doubles, with jitter)
     * @param backoffMax            longest such wait
     * @param maxConcurrentRequests requests in flight in this process at once; 0 for no limit
     * @param healthCheckInterval   how often each provider is probed by long-running platforms, or null for never
     */
    public record Routing(Duration deadline, int retries, Duration backoffInitial, Duration backoffMax, Breaker breaker,
                          int maxConcurrentRequests, Duration healthCheckInterval) {
        public static Routing defaults() {
            return new Routing(Duration.ofSeconds(600), 2, Duration.ofMillis(250), Duration.ofSeconds(5), Breaker.defaults(), 0,
                    Duration.ofSeconds(30));
        }
    }

    /**
     * A deployment's circuit opens after {@code consecutiveFailures} failures in a row, or when at
     * least {@code failureRatePercent} of the last {@code window} calls failed; it stays open for
     * {@code openFor}, then lets {@code halfOpenCalls} trial calls through.
     */
    public record Breaker(int consecutiveFailures, int failureRatePercent, int window, Duration openFor, int halfOpenCalls) {
        public static Breaker defaults() {
            return new Breaker(5, 50, 10, Duration.ofSeconds(60), 3);
        }
    }

    public boolean hasUpstream() {
        return !providers.isEmpty() && !models.isEmpty();
    }
}
