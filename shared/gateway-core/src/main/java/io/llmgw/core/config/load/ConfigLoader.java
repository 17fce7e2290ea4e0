package io.llmgw.core.config.load;

import io.llmgw.core.config.ConfigValues;

import io.llmgw.core.config.ThinkingSupport;

import io.llmgw.core.config.AuthMode;


import io.llmgw.core.config.ConfigException;

import io.llmgw.core.config.ProviderSettings;



import io.llmgw.core.config.AccessConfig;
import io.llmgw.core.config.GatewayConfig;

import io.llmgw.core.config.ProviderBlock;

import io.llmgw.core.config.load.ConfigDraft.DeploymentDraft;
import io.llmgw.core.config.load.ConfigDraft.ModelDraft;
import io.llmgw.core.spi.ProviderFactory;
import io.llmgw.core.spi.ProviderRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Builds the effective {@link GatewayConfig} from the YAML file named by {@code GATEWAY_CONFIG}
 * and/or the environment (which wins), and validates it. Any problem is a {@link ConfigException}
 * whose message names the key or variable, the problem and the fix; secrets are never echoed.
 */
public final class ConfigLoader {
    public static final List<String> DEFAULT_AUTH_HEADERS = List.of("authorization", "x-api-key", "api-key");

    private ConfigLoader() {}

    /** @param variables the environment (and, later, secret-store values) by name */
    public static GatewayConfig load(Function<String, String> variables) {
        ConfigDraft draft = new ConfigDraft();
        String file = variables.apply("GATEWAY_CONFIG");
        if (file != null && !file.isBlank()) {
            ConfigFile.read(Path.of(file.trim()), variables, draft);
        }
        EnvironmentOverlay.apply(variables, draft);
        return build(draft);
    }

    public static GatewayConfig load(Map<String, String> variables) {
        return load(variables::get);
    }

    private static GatewayConfig build(ConfigDraft draft) {
        Map<String, GatewayConfig.Provider> providers = new LinkedHashMap<>();
        draft.providers.values().forEach(p -> providers.put(p.provider(), provider(p, draft)));
        List<GatewayConfig.Model> models = new ArrayList<>();
        draft.models.values().forEach(m -> models.add(model(m, providers)));
        GatewayConfig.Auth auth = auth(draft, providers);
        if (auth.mode() != AuthMode.GATEWAY) {
            models.forEach(m -> oneKeyHolder(m, providers, auth.mode(), draft.models.get(m.name()).source));
        }
        requireUpstream(providers, models);  // last: what is written is checked before what is missing
        return new GatewayConfig(
                draft.port == null ? 8080 : draft.port,
                auth,
                List.copyOf(draft.corsOrigins),
                draft.configEndpoint,
                java.util.Collections.unmodifiableMap(providers),
                List.copyOf(models),
                draft.keepAlive,
                draft.routing,
                draft.publicMetrics,
                access(draft, models),
                cache(draft, models), draft.responsesStore);
    }

    /** The cache's routes must be names under models:, as limits' are. */
    private static io.llmgw.core.config.CacheConfig cache(ConfigDraft draft, List<GatewayConfig.Model> models) {
        Set<String> names = new TreeSet<>();
        models.forEach(m -> names.add(m.name()));
        for (String route : draft.cache.routes().keySet()) {
            if (!names.contains(route)) {
                throw new ConfigException("cache.routes." + route + ": no such model under models:; the cache is set per configured "
                        + "model name, which are " + (names.isEmpty() ? "none yet" : String.join(", ", names)));
            }
        }
        return draft.cache;
    }

    /** Keys every provider has, whatever its type; the rest are the type's own ({@link ProviderFactory#keys}). */
    private static final Set<String> COMMON_KEYS = Set.of("type", "api_key", "timeout", "connect_timeout", "max_concurrency");

    private static GatewayConfig.Provider provider(ProviderBlock block, ConfigDraft draft) {
        ProviderRegistry registry = ProviderRegistry.get();
        String type = block.text("type");
        if (type == null) {
            throw new ConfigException(block.source("type") + ": missing; set it to one of " + registry.choices());
        }
        ProviderFactory factory = registry.factory(type);
        if (factory == null) {
            throw new ConfigException(block.source("type") + ": '" + type + "' is not a provider type; use one of " + registry.choices());
        }
        for (String key : block.keys()) {
            if (!COMMON_KEYS.contains(key) && !factory.keys().contains(key)) {
                Set<String> allowed = new TreeSet<>(COMMON_KEYS);
                allowed.addAll(factory.keys());
                throw new ConfigException(block.source(key) + ": unknown key for type " + type + "; allowed here: "
                        + String.join(", ", allowed));
            }
        }
        block.gatewayPort(draft.port == null ? 8080 : draft.port);
        String key = ConfigValues.apiKey(block.text("api_key"));
        if (key != null && !key.chars().allMatch(c -> c > ' ' && c <= '~')) {
            throw new ConfigException(block.source("api_key") + ": contains spaces, line breaks or non-ASCII characters; "
                    + "paste the key exactly, without quotes or line breaks");
        }
        Duration timeout = block.duration("timeout", "s");
        Duration connectTimeout = block.duration("connect_timeout", "s");
        String concurrency = block.text("max_concurrency");
        ProviderSettings settings = factory.settings(block);
        return new GatewayConfig.Provider(block.provider(), type, key,
                connectTimeout == null ? draft.connectTimeout : connectTimeout,
                timeout == null ? draft.timeout : timeout,
                concurrency == null ? null : ConfigValues.positiveInt(concurrency, block.source("max_concurrency"), 1_000_000),
                settings);
    }

    /**
     * A gateway with nowhere to send requests would start, report unready and fail every request;
     * a newcomer learns more from a stop that lists the ways to name an upstream.
     */
    private static void requireUpstream(Map<String, GatewayConfig.Provider> providers, List<GatewayConfig.Model> models) {
        if (providers.isEmpty()) {
            List<String> hints = new ArrayList<>();
            ProviderRegistry.get().factories().forEach(f -> hints.addAll(f.environmentHints()));
            throw new ConfigException("providers: none configured, so the gateway has nowhere to send requests; configure an "
                    + "upstream with one of: " + String.join(", ", hints) + ", or GATEWAY_CONFIG=<a YAML file with providers: "
                    + "and models:> (see the README, Configuration)");
        }
        if (models.isEmpty()) {
            String first = providers.keySet().iterator().next();
            throw new ConfigException("models: none configured, so no model name reaches the providers (" + String.join(", ",
                    providers.keySet()) + "); add one, e.g. models: { \"*\": { deployments: [ { provider: " + first + " } ] } }");
        }
    }

    private static GatewayConfig.Model model(ModelDraft m, Map<String, GatewayConfig.Provider> providers) {
        List<GatewayConfig.DeploymentConfig> deployments = new ArrayList<>();
        for (DeploymentDraft d : m.deployments) {
            if (d.provider() == null || !providers.containsKey(d.provider())) {
                throw new ConfigException(d.source() + ".provider: '" + d.provider() + "' is not a configured provider; "
                        + "configured: " + (providers.isEmpty() ? "none (add one under providers:)" : String.join(", ", providers.keySet())));
            }
            deployments.add(new GatewayConfig.DeploymentConfig(d.provider(), blankToNull(d.model()), d.maxOutputTokens(), d.reasoning(),
                    d.weight(), d.contextWindow(), d.cost(), thinking(d, providers.get(d.provider()))));
        }
        return new GatewayConfig.Model(m.name, List.copyOf(deployments), m.strategy, m.condense);
    }

    /**
     * In client and hybrid modes a caller's own key goes upstream, and on failover it would go to
     * every deployment of the route: a key issued by one provider must never reach another. So a
     * route whose deployments are at more than one provider (type and host) is refused.
     */
    private static void oneKeyHolder(GatewayConfig.Model model, Map<String, GatewayConfig.Provider> providers, AuthMode mode,
                                     String source) {
        Map<String, String> holders = new LinkedHashMap<>();
        for (GatewayConfig.DeploymentConfig d : model.deployments()) {
            GatewayConfig.Provider p = providers.get(d.provider());
            URI url = p.settings().endpoint();
            String identity = p.type() + " at " + (url == null ? "the gateway itself" : url.getHost() + port(url));
            holders.putIfAbsent(identity, p.name());
        }
        if (holders.size() > 1) {
            List<String> named = holders.entrySet().stream().map(e -> "'" + e.getValue() + "' (" + e.getKey() + ")").toList();
            throw new ConfigException(source + ": in auth mode " + mode.configName() + " a caller's own key would be sent, on "
                    + "failover, to " + String.join(" and to ", named) + "; a key must only reach the provider that issued it. "
                    + "Give this model deployments of one provider, or use auth.mode: gateway with each provider's own api_key");
        }
    }

    /** The URL's port when it names one: two servers on one host are two holders of keys. */
    private static String port(URI url) {
        return url.getPort() == -1 ? "" : ":" + url.getPort();
    }

    /** {@code thinking: adaptive | budget | none}, which only an Anthropic deployment has a use for. */
    private static ThinkingSupport thinking(DeploymentDraft d, GatewayConfig.Provider provider) {
        if (d.thinking() == null) {
            return null;
        }
        String choices = "adaptive (Claude 4.6 and later), budget (Claude 3.7 to 4.5) or none";
        ThinkingSupport support = ThinkingSupport.parse(d.thinking());
        if (support == null) {
            throw new ConfigException(d.source() + ".thinking: '" + d.thinking() + "' is not a choice; use " + choices);
        }
        if (!provider.type().equals("anthropic")) {  // the one type whose requests carry Anthropic's thinking forms
            throw new ConfigException(d.source() + ".thinking: only for deployments of an anthropic provider; for "
                    + provider.type() + " say whether the model reasons with reasoning: true | false instead");
        }
        return support;
    }

    private static GatewayConfig.Auth auth(ConfigDraft draft, Map<String, GatewayConfig.Provider> providers) {
        for (int i = 0; i < draft.keys.size(); i++) {
            String source = draft.keysSource.equals("auth.keys") ? "auth.keys[" + i + "]" : draft.keysSource;
            EnvironmentOverlay.checkGatewayKey(draft.keys.get(i), source);
        }
        List<String> keys = draft.keys.stream().map(String::trim).toList();
        List<String> headers = draft.authHeaders == null || draft.authHeaders.isEmpty()
                ? DEFAULT_AUTH_HEADERS
                : draft.authHeaders.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
        for (String header : headers) {
            if (!header.matches("[a-z0-9-]+")) {
                throw new ConfigException("auth.header: '" + header + "' is not an HTTP header name");
            }
        }
        for (GatewayConfig.Provider p : providers.values()) {
            if (p.apiKey() != null && keys.contains(p.apiKey())) {
                // e.g. ANTHROPIC_API_KEY exported for Claude Code in the shell that starts the gateway
                throw new ConfigException(draft.providers.get(p.name()).source("api_key") + ": is one of the gateway's own keys ("
                        + draft.keysSource + "); set it to the upstream's key, or unset it if it was meant for clients of the gateway");
            }
        }
        // A cloud role is a configured credential as much as an api_key is: never lent to anonymous callers.
        boolean configuredKeys = providers.values().stream().anyMatch(p -> p.apiKey() != null || p.settings().ambientCredentials());
        // An upstream inside the gateway (the mock) is its own like one with a configured key, but it has no secret to lend.
        boolean ownUpstream = configuredKeys || providers.values().stream().anyMatch(p -> p.settings().endpoint() == null);
        // Virtual keys and JWT identities are gateway credentials as much as plain keys are.
        boolean gatewayCredentials = !keys.isEmpty() || !draft.virtualKeys.isEmpty() || draft.jwt != null;
        for (GatewayConfig.Provider p : providers.values()) {
            for (AccessConfig.VirtualKey vk : draft.virtualKeys) {
                if (p.apiKey() != null && java.security.MessageDigest.isEqual(AccessSection.sha256(p.apiKey()), vk.keySha256())) {
                    throw new ConfigException(draft.providers.get(p.name()).source("api_key") + ": is the key of virtual key '" + vk.name()
                            + "'; give the virtual key its own key");
                }
            }
        }
        AuthMode mode;
        if (draft.mode != null) {
            try {
                mode = AuthMode.parse(draft.mode);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("auth.mode: '" + draft.mode + "' is not a mode; use one of "
                        + String.join(" | ", Arrays.stream(AuthMode.values()).map(AuthMode::configName).toList()));
            }
            if (mode != AuthMode.CLIENT && !gatewayCredentials) {
                throw new ConfigException("auth.mode: " + mode.configName() + " needs gateway keys; set PROXY_API_KEY "
                        + "(or PROXY_API_KEYS, or auth.keys), or use mode client to forward the client's own key");
            }
        } else if (gatewayCredentials) {
            // Gateway keys but no upstream key to use with them (BACKEND_URL): other keys are the clients' own.
            mode = ownUpstream ? AuthMode.GATEWAY : AuthMode.HYBRID;
        } else if (configuredKeys) {
            throw new ConfigException("auth: upstream keys are configured but no gateway key is, which would let anyone use "
                    + "them; set PROXY_API_KEY (32-256 characters, e.g. from: openssl rand -hex 32), or set auth.mode: client "
                    + "to forward each client's own key instead");
        } else {
            mode = AuthMode.CLIENT;
        }
        if (mode == AuthMode.CLIENT && (!draft.virtualKeys.isEmpty() || draft.jwt != null)) {
            throw new ConfigException("auth.mode: client forwards each caller's own key upstream, so virtual keys and JWT identities "
                    + "would never be checked; use mode gateway (or hybrid)");
        }
        return new GatewayConfig.Auth(mode, keys, headers);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static AccessConfig access(ConfigDraft draft, List<GatewayConfig.Model> models) {
        Set<String> names = new java.util.HashSet<>();
        models.forEach(m -> names.add(m.name()));
        for (String model : draft.perModelLimits.keySet()) {
            if (!names.contains(model)) {
                throw new ConfigException("limits.per_model." + model + ": no such model under models:; limits apply to the names clients "
                        + "send, which are " + (names.isEmpty() ? "none yet" : String.join(", ", new TreeSet<>(names))));
            }
        }
        for (String proxy : draft.trustedProxies) {
            if (io.llmgw.core.http.AddressRange.parse(proxy) == null) {
                throw new ConfigException("limits.trusted_proxies: '" + proxy + "' is not an IP address or CIDR range like 10.0.0.0/8");
            }
        }
        return new AccessConfig(draft.virtualKeys, draft.jwt, draft.teams, draft.globalLimits, draft.perClientIpLimits,
                List.copyOf(draft.trustedProxies), draft.perModelLimits, draft.failClosed, draft.state, draft.prices);
    }
}
