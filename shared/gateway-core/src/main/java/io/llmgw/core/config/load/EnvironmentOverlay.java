package io.llmgw.core.config.load;

import io.llmgw.core.config.ConfigValues;


import io.llmgw.core.config.ConfigException;


import io.llmgw.core.config.load.ConfigDraft.DeploymentDraft;
import io.llmgw.core.config.load.ConfigDraft.ModelDraft;
import io.llmgw.core.spi.ProviderFactory;
import io.llmgw.core.spi.ProviderRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The environment variables of the systems this gateway replaces, applied over the file
 * (the environment wins): keys, port, timeouts, limits, CORS here; the upstream variables are each
 * provider type's own ({@link ProviderFactory#fromEnvironment}), and together the providers they
 * configure serve every model name ({@code *}) in the order the types give (Azure, BACKEND_URL,
 * OpenAI, Gemini, Anthropic for the built-in ones).
 */
final class EnvironmentOverlay {

    private final Function<String, String> env;

    private EnvironmentOverlay(Function<String, String> env) {
        this.env = env;
    }

    static void apply(Function<String, String> env, ConfigDraft draft) {
        new EnvironmentOverlay(env).applyAll(draft);
    }

    private void applyAll(ConfigDraft draft) {
        applyKeys(draft);
        applyPort(draft);
        String timeout = get("REQUEST_TIMEOUT");
        if (timeout != null) {
            draft.timeout = Duration.ofMillis(ConfigValues.positiveInt(timeout, "REQUEST_TIMEOUT (milliseconds)", Integer.MAX_VALUE));
            draft.timeoutSource = "REQUEST_TIMEOUT";
        }
        String maxConcurrent = get("MAX_CONCURRENT_REQUESTS");
        if (maxConcurrent != null) {
            draft.routing = RoutingSection.withMaxConcurrentRequests(draft.routing,
                    ConfigValues.positiveInt(maxConcurrent, "MAX_CONCURRENT_REQUESTS", 1_000_000));
        }
        String healthInterval = get("HEALTH_CHECK_INTERVAL_MS");
        if (healthInterval != null) {
            draft.routing = RoutingSection.withHealthCheckInterval(draft.routing, healthInterval.trim().equalsIgnoreCase("off") ? null
                    : Duration.ofMillis(ConfigValues.positiveInt(healthInterval, "HEALTH_CHECK_INTERVAL_MS (milliseconds, or off)",
                            Integer.MAX_VALUE)));
        }
        applyStateStore(draft);
        draft.cache = CacheSection.withEnvironment(draft.cache, get("GATEWAY_CACHE_TTL"));
        draft.jwt = JwtSection.withEnvironment(draft.jwt, this::get);
        String origins = get("CORS_ALLOWED_ORIGINS");
        if (origins != null) {
            draft.corsOrigins = splitList(origins);
        }
        applyProviders(draft);
    }

    /**
     * The providers each type's factory finds in the environment (ANTHROPIC_API_KEY, BACKEND_URL, …),
     * serving every model name in their order: the first is the primary, the others its failover
     * deployments. One that must stay alone (the mock) cannot be combined with the others.
     */
    private void applyProviders(ConfigDraft draft) {
        List<ProviderFactory.EnvironmentProvider> found = new ArrayList<>();
        for (ProviderFactory factory : ProviderRegistry.get().factories()) {
            found.addAll(factory.fromEnvironment(this::get));
        }
        if (found.isEmpty()) {
            return;
        }
        found.sort(Comparator.comparingInt(ProviderFactory.EnvironmentProvider::order));
        for (ProviderFactory.EnvironmentProvider alone : found) {
            if (alone.alone() && found.size() > 1) {
                List<String> others = found.stream().filter(p -> p != alone).map(p -> p.block().provider()).toList();
                throw new ConfigException(alone.block().source("type") + ": set together with the environment's "
                        + String.join(", ", others) + " upstream, which it would stand in for whenever it failed; unset one of them");
            }
        }
        ModelDraft all = new ModelDraft("*", "environment");
        for (ProviderFactory.EnvironmentProvider provider : found) {
            draft.providers.put(provider.block().provider(), provider.block());
            all.deployments.add(new DeploymentDraft(provider.block().provider(), provider.model(), "environment"));
        }
        draft.models.put("*", all);
    }

    private void applyKeys(ConfigDraft draft) {
        List<String> keys = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        String single = get("PROXY_API_KEY");
        if (single != null) {
            checkGatewayKey(single, "PROXY_API_KEY");
            keys.add(single.trim());
            sources.add("PROXY_API_KEY");
        }
        String many = get("PROXY_API_KEYS");
        if (many != null) {
            List<String> list = splitList(many);
            if (list.isEmpty()) {
                throw new ConfigException("PROXY_API_KEYS: holds no key; write comma-separated keys of 32 to 256 characters");
            }
            for (int i = 0; i < list.size(); i++) {
                checkGatewayKey(list.get(i), "PROXY_API_KEYS (entry " + (i + 1) + ")");
            }
            keys.addAll(list);
            sources.add("PROXY_API_KEYS");
        }
        if (!keys.isEmpty()) {
            draft.keys = keys;
            draft.keysSource = String.join(" / ", sources);
        }
    }

    /** Gateway keys guard upstream credentials; a short one can be guessed. The key itself is never printed. */
    static void checkGatewayKey(String key, String source) {
        String k = key.trim();
        if (k.length() < 32 || k.length() > 256) {
            throw new ConfigException(source + ": a gateway key must be 32 to 256 characters long (this one has "
                    + k.length() + "); generate one with: openssl rand -hex 32");
        }
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            if (c <= ' ' || c > '~') {
                throw new ConfigException(source + ": a gateway key may hold only printable ASCII without spaces");
            }
        }
    }

    private void applyPort(ConfigDraft draft) {
        for (String name : List.of("PORT", "HOST_PORT", "GATEWAY_PORT")) {
            String value = get(name);
            if (value != null) {
                draft.port = ConfigValues.positiveInt(value, name, 65535);
                draft.portSource = name;
                return;
            }
        }
    }

    private String get(String name) {
        String value = env.apply(name);
        return value == null || value.isBlank() ? null : value;
    }

    private static List<String> splitList(String value) {
        return new ArrayList<>(Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }

    /**
     * {@code GATEWAY_STATE_STORE} picks the store; {@code GATEWAY_REDIS_URL} and
     * {@code GATEWAY_STATE_TABLE} (the CDK and SAM templates set it) give its address and, alone,
     * choose redis or dynamodb; {@code GATEWAY_REDIS_AUTH} says how Redis is signed in to (the Bicep
     * template sets {@code entra}); {@code GATEWAY_STATE_ENDPOINT} points the DynamoDB client
     * elsewhere (DynamoDB Local, tests).
     */
    private void applyStateStore(ConfigDraft draft) {
        java.util.Map<String, String> options = new java.util.TreeMap<>(draft.state.options());
        String store = draft.state.store();
        String redis = get("GATEWAY_REDIS_URL");
        String table = get("GATEWAY_STATE_TABLE");
        if (redis != null) {
            options.put("url", redis);
            store = "redis";
        }
        if (table != null) {
            options.put("table", table);
            store = "dynamodb";
        }
        String redisAuth = get("GATEWAY_REDIS_AUTH");
        if (redisAuth != null) {
            options.put("auth", redisAuth.trim());
        }
        String endpoint = get("GATEWAY_STATE_ENDPOINT");
        if (endpoint != null) {
            options.put("endpoint", endpoint);
        }
        String chosen = get("GATEWAY_STATE_STORE");
        if (chosen != null) {
            store = chosen.trim().toLowerCase(java.util.Locale.ROOT);
        } else if (redis != null && table != null) {
            throw new ConfigException("GATEWAY_REDIS_URL and GATEWAY_STATE_TABLE: both set; set GATEWAY_STATE_STORE to redis or dynamodb "
                    + "to say which store holds limits and budgets");
        }
        draft.state = new io.llmgw.core.config.AccessConfig.State(store, java.util.Map.copyOf(options));
    }
}
