package io.llmgw.core.config;

import io.llmgw.core.config.ConfigDraft.DeploymentDraft;
import io.llmgw.core.config.ConfigDraft.ModelDraft;
import io.llmgw.core.config.ConfigDraft.ProviderDraft;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The environment variables of the systems this gateway replaces, applied over the file
 * (the environment wins). Each one yields a provider, and together they serve every model name
 * ({@code *}) in the order Azure, BACKEND_URL, OpenAI, Gemini, Anthropic. {@code GATEWAY_MOCK=1}
 * makes the built-in mock serve {@code *}, alone.
 */
final class EnvironmentOverlay {
    static final String AZURE = "azure";
    static final String BACKEND = "backend";
    static final String OPENAI = "openai";
    static final String GEMINI = "gemini";
    static final String ANTHROPIC = "anthropic";
    static final String MOCK = "mock";
    private static final String DEFAULT_OPENAI_BASE = "https://api.openai.com/v1";
    private static final String CHAT_SUFFIX = "/chat/completions";

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
        String origins = get("CORS_ALLOWED_ORIGINS");
        if (origins != null) {
            draft.corsOrigins = splitList(origins);
        }
        List<String> served = new ArrayList<>();
        if (applyAzure(draft)) {
            served.add(AZURE);
        }
        if (applyBackend(draft)) {
            served.add(BACKEND);
        }
        if (applyOpenAi(draft)) {
            served.add(OPENAI);
        }
        String geminiKey = get("GEMINI_API_KEY");
        if (geminiKey != null) {
            ProviderDraft p = new ProviderDraft(GEMINI);
            p.type = ProviderType.GEMINI.configName();
            p.apiKey = geminiKey;
            p.sources.put("api_key", "GEMINI_API_KEY");
            draft.providers.put(GEMINI, p);
            served.add(GEMINI);
        }
        if (applyAnthropic(draft)) {
            served.add(ANTHROPIC);
        }
        applyMock(draft, served);
        if (!served.isEmpty()) {
            ModelDraft all = new ModelDraft("*", "environment");
            for (String provider : served) {
                String model = provider.equals(AZURE) ? get("AZURE_OPENAI_MODEL") : null;
                all.deployments.add(new DeploymentDraft(provider, model, "environment"));
            }
            draft.models.put("*", all);
        }
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

    private boolean applyAzure(ConfigDraft draft) {
        String endpoint = get("AZURE_OPENAI_ENDPOINT");
        String key = get("AZURE_OPENAI_API_KEY");
        String model = get("AZURE_OPENAI_MODEL");
        String version = get("AZURE_OPENAI_API_VERSION");
        if (endpoint == null && key == null && model == null && version == null) {
            return false;
        }
        if (endpoint == null) {
            throw new ConfigException("AZURE_OPENAI_ENDPOINT: not set, but other AZURE_OPENAI_* variables are; set it to "
                    + "your resource URL, e.g. https://my-resource.openai.azure.com");
        }
        if (model == null) {
            throw new ConfigException("AZURE_OPENAI_MODEL: not set; set it to the Azure deployment name that serves requests");
        }
        if (!model.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new ConfigException("AZURE_OPENAI_MODEL: '" + model + "' is not a valid deployment name "
                    + "(letters, digits, '.', '_' and '-', at most 64)");
        }
        ProviderDraft p = new ProviderDraft(AZURE);
        p.type = ProviderType.AZURE_OPENAI.configName();
        p.baseUrl = endpoint;
        p.sources.put("base_url", "AZURE_OPENAI_ENDPOINT");
        p.apiKey = key;
        p.sources.put("api_key", "AZURE_OPENAI_API_KEY");
        p.apiVersion = version;
        p.sources.put("api_version", "AZURE_OPENAI_API_VERSION");
        draft.providers.put(AZURE, p);
        return true;
    }

    private boolean applyBackend(ConfigDraft draft) {
        String url = get("BACKEND_URL");
        String timeout = get("BACKEND_TIMEOUT_SECS");
        Duration backendTimeout = timeout == null ? null
                : Duration.ofSeconds(ConfigValues.positiveInt(timeout, "BACKEND_TIMEOUT_SECS", 86_400));
        if (url == null) {
            return false;
        }
        ProviderDraft p = new ProviderDraft(BACKEND);
        p.type = ProviderType.OPENAI.configName();
        p.chatCompletionsUrl = url;
        p.sources.put("chat_completions_url", "BACKEND_URL");
        String trimmed = url.trim().replaceAll("/+$", "");
        if (trimmed.endsWith(CHAT_SUFFIX)) {
            p.baseUrl = trimmed.substring(0, trimmed.length() - CHAT_SUFFIX.length());
            p.sources.put("base_url", "BACKEND_URL");
        }
        p.timeout = backendTimeout;
        draft.providers.put(BACKEND, p);
        return true;
    }

    private boolean applyOpenAi(ConfigDraft draft) {
        ProviderDraft p = sdkProvider(OPENAI, ProviderType.OPENAI, "OPENAI_API_KEY", "OPENAI_BASE_URL");
        if (p == null) {
            return false;
        }
        p.baseUrl = p.baseUrl == null ? DEFAULT_OPENAI_BASE : p.baseUrl;
        draft.providers.put(OPENAI, p);
        return true;
    }

    /** Anthropic's SDK variables: the key, and the API root (validated, and defaulted, by the loader). */
    private boolean applyAnthropic(ConfigDraft draft) {
        ProviderDraft p = sdkProvider(ANTHROPIC, ProviderType.ANTHROPIC, "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL");
        if (p != null) {
            draft.providers.put(ANTHROPIC, p);
        }
        return p != null;
    }

    /**
     * The mock serves alone: as a failover behind a real upstream it would answer echoes in its place
     * whenever that upstream failed.
     */
    private void applyMock(ConfigDraft draft, List<String> served) {
        String value = get("GATEWAY_MOCK");
        if (value == null || !MockSection.enabled(value, "GATEWAY_MOCK")) {
            return;
        }
        if (!served.isEmpty()) {
            throw new ConfigException("GATEWAY_MOCK: set together with the environment's " + String.join(", ", served)
                    + " upstream, which the mock would stand in for whenever it failed; unset GATEWAY_MOCK, or that upstream's "
                    + "variables");
        }
        ProviderDraft p = new ProviderDraft(MOCK);
        p.type = ProviderType.MOCK.configName();
        draft.providers.put(MOCK, p);
        served.add(MOCK);
    }

    /** A provider from an SDK's own pair of variables, a key and a base URL; null when neither is set. */
    private ProviderDraft sdkProvider(String name, ProviderType type, String keyVariable, String baseVariable) {
        String key = get(keyVariable);
        String base = get(baseVariable);
        if (key == null && base == null) {
            return null;
        }
        ProviderDraft p = new ProviderDraft(name);
        p.type = type.configName();
        p.baseUrl = base;
        p.sources.put("base_url", baseVariable);
        p.apiKey = key;
        p.sources.put("api_key", keyVariable);
        return p;
    }

    private String get(String name) {
        String value = env.apply(name);
        return value == null || value.isBlank() ? null : value;
    }

    private static List<String> splitList(String value) {
        return new ArrayList<>(Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }
}
