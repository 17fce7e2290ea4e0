package io.llmgw.core.config;

import io.llmgw.core.config.ConfigDraft.DeploymentDraft;
import io.llmgw.core.config.ConfigDraft.ModelDraft;
import io.llmgw.core.config.ConfigDraft.ProviderDraft;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds the effective {@link GatewayConfig} from the YAML file named by {@code GATEWAY_CONFIG}
 * and/or the environment (which wins), and validates it. Any problem is a {@link ConfigException}
 * whose message names the key or variable, the problem and the fix; secrets are never echoed.
 */
public final class ConfigLoader {
    public static final List<String> DEFAULT_AUTH_HEADERS = List.of("authorization", "x-api-key", "api-key");
    static final String DEFAULT_AZURE_API_VERSION = "2024-10-21";
    /** Anthropic's API root, as its SDKs take it; the gateway appends {@code /v1/messages}. */
    public static final String DEFAULT_ANTHROPIC_BASE_URL = "https://api.anthropic.com";

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
        draft.providers.values().forEach(p -> providers.put(p.name, provider(p, draft)));
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
                draft.publicMetrics);
    }

    private static GatewayConfig.Provider provider(ProviderDraft p, ConfigDraft draft) {
        if (p.type == null) {
            throw new ConfigException(p.source("type") + ": missing; set it to one of " + ProviderType.choices());
        }
        ProviderType type = ProviderType.parse(p.type);
        if (type == null) {
            throw new ConfigException(p.source("type") + ": '" + p.type + "' is not a provider type; use one of " + ProviderType.choices());
        }
        if (type == ProviderType.MOCK) {
            return MockSection.provider(p, draft);
        }
        MockSection.refusePacing(p, type);
        URI chatUrl = p.chatCompletionsUrl == null ? null
                : ConfigValues.upstreamUrl(p.chatCompletionsUrl, p.source("chat_completions_url"));
        URI baseUrl = p.baseUrl == null ? null : ConfigValues.upstreamUrl(p.baseUrl, p.source("base_url"));
        if (type == ProviderType.ANTHROPIC) {
            baseUrl = anthropicBaseUrl(p, baseUrl, chatUrl);
        }
        notThisGateway(p.baseUrl == null ? null : baseUrl, p.source("base_url"), draft);
        if (baseUrl == null && chatUrl == null && type != ProviderType.GEMINI) {
            throw new ConfigException(p.source("base_url") + ": missing; set the provider's base URL, e.g. "
                    + (type == ProviderType.AZURE_OPENAI ? "https://my-resource.openai.azure.com" : "https://api.openai.com/v1"));
        }
        String version = null;
        if (type == ProviderType.AZURE_OPENAI) {
            version = p.apiVersion == null ? DEFAULT_AZURE_API_VERSION : p.apiVersion.trim();
            if (!version.matches("\\d{4}-\\d{2}-\\d{2}(-preview)?|v1|preview|latest")) {
                throw new ConfigException(p.source("api_version") + ": '" + p.apiVersion + "' is not an Azure OpenAI api-version; "
                        + "write a date such as 2024-10-21 or 2025-04-01-preview, or v1 for the /openai/v1/ API");
            }
        }
        String key = ConfigValues.apiKey(p.apiKey);
        if (key != null && !key.chars().allMatch(c -> c > ' ' && c <= '~')) {
            throw new ConfigException(p.source("api_key") + ": contains spaces, line breaks or non-ASCII characters; "
                    + "paste the key exactly, without quotes or line breaks");
        }
        return new GatewayConfig.Provider(p.name, type, baseUrl, chatUrl, key, version,
                p.connectTimeout == null ? draft.connectTimeout : p.connectTimeout,
                p.timeout == null ? draft.timeout : p.timeout,
                p.maxConcurrency,
                nativeResponses(p, type, baseUrl, chatUrl, version),
                null);
    }

    /**
     * A gateway with nowhere to send requests would start, report unready and fail every request;
     * a newcomer learns more from a stop that lists the ways to name an upstream.
     */
    private static void requireUpstream(Map<String, GatewayConfig.Provider> providers, List<GatewayConfig.Model> models) {
        if (providers.isEmpty()) {
            throw new ConfigException("providers: none configured, so the gateway has nowhere to send requests; configure an "
                    + "upstream with one of: AZURE_OPENAI_ENDPOINT + AZURE_OPENAI_API_KEY + AZURE_OPENAI_MODEL (Azure OpenAI), "
                    + "BACKEND_URL (the chat-completions URL of an OpenAI-compatible server), OPENAI_API_KEY (OpenAI), "
                    + "ANTHROPIC_API_KEY (Anthropic), GEMINI_API_KEY (Gemini), GATEWAY_MOCK=1 (the built-in mock: local answers, "
                    + "no key), or GATEWAY_CONFIG=<a YAML file with providers: and models:> (see the README, Configuration)");
        }
        if (models.isEmpty()) {
            String first = providers.keySet().iterator().next();
            throw new ConfigException("models: none configured, so no model name reaches the providers (" + String.join(", ",
                    providers.keySet()) + "); add one, e.g. models: { \"*\": { deployments: [ { provider: " + first + " } ] } }");
        }
    }

    /**
     * Anthropic's base URL is the API root, as in its SDKs ({@code ANTHROPIC_BASE_URL}): the
     * gateway appends {@code /v1/messages} and {@code /v1/messages/count_tokens} itself, so a URL
     * already ending in {@code /v1} would double it. The keys only the OpenAI family uses are refused
     * rather than ignored, so a copied provider block does not silently mean something else.
     */
    private static URI anthropicBaseUrl(ProviderDraft p, URI baseUrl, URI chatUrl) {
        if (chatUrl != null) {
            throw new ConfigException(p.source("chat_completions_url") + ": not used by type anthropic, which is reached at "
                    + "{base_url}/v1/messages; remove it and set base_url to the API root, e.g. " + DEFAULT_ANTHROPIC_BASE_URL);
        }
        if (p.apiVersion != null) {
            throw new ConfigException(p.source("api_version") + ": not used by type anthropic (the gateway sends anthropic-version: "
                    + "2023-06-01, or the Anthropic client's own); remove it");
        }
        if (baseUrl == null) {
            return URI.create(DEFAULT_ANTHROPIC_BASE_URL);
        }
        String path = baseUrl.getPath();
        if (path.endsWith("/v1") || path.endsWith("/v1/messages")) {
            throw new ConfigException(p.source("base_url") + ": '" + baseUrl + "' ends in " + path.substring(path.lastIndexOf("/v1"))
                    + ", but the gateway appends /v1/messages itself; write the API root, e.g. " + DEFAULT_ANTHROPIC_BASE_URL);
        }
        return baseUrl;
    }

    /**
     * {@code ANTHROPIC_BASE_URL} and {@code OPENAI_BASE_URL} are also how clients are pointed at the
     * gateway, so the shell that starts it may hold the gateway's own address: every request would
     * then call itself until the concurrency limits stopped it. Checked for base URLs from the
     * environment only; a file names its upstreams on purpose.
     */
    private static void notThisGateway(URI upstream, String source, ConfigDraft draft) {
        if (upstream == null || source.startsWith("providers.") || !ConfigValues.isLoopback(upstream.getHost())) {
            return;
        }
        int port = upstream.getPort() != -1 ? upstream.getPort() : "https".equals(upstream.getScheme()) ? 443 : 80;
        int own = draft.port == null ? 8080 : draft.port;
        if (port == own) {
            throw new ConfigException(source + ": '" + upstream + "' is this gateway's own address (port " + own + " on loopback); "
                    + "point it at the real upstream, or unset the variable meant for clients of the gateway");
        }
    }

    /** {@code responses: native | chat}; native needs an upstream URL that serves {@code /responses}. */
    private static boolean nativeResponses(ProviderDraft p, ProviderType type, URI baseUrl, URI chatUrl, String version) {
        String mode = p.responses == null ? "chat" : p.responses.trim().toLowerCase(Locale.ROOT);
        if (mode.equals("chat")) {
            return false;
        }
        String source = p.source("responses");
        if (!mode.equals("native")) {
            throw new ConfigException(source + ": '" + p.responses + "' is not a choice; use native (the upstream serves "
                    + "/responses itself, requests pass through) or chat (translate to chat completions, the default)");
        }
        if (!type.canServeResponses()) {
            throw new ConfigException(source + ": native is only possible for types openai and azure-openai; remove the key");
        }
        if (baseUrl == null && (type == ProviderType.AZURE_OPENAI || !chatUrl.getPath().endsWith("/chat/completions"))) {
            throw new ConfigException(p.source("base_url") + ": needed with responses: native, so the gateway knows where "
                    + "/responses is; set the provider's base URL");
        }
        if (type == ProviderType.AZURE_OPENAI && !baseUrl.getPath().endsWith("/openai/v1") && !azureServesResponses(version)) {
            throw new ConfigException(p.source("api_version") + ": Azure OpenAI serves the Responses API only on the v1 API "
                    + "or a preview api-version from 2025-03-01-preview on; set api_version to v1 (or e.g. 2025-04-01-preview), "
                    + "or drop responses: native");
        }
        return true;
    }

    private static boolean azureServesResponses(String version) {
        return version.equals("v1") || version.equals("preview") || version.equals("latest")
                || version.endsWith("-preview") && version.compareTo("2025-03-01-preview") >= 0;
    }

    private static GatewayConfig.Model model(ModelDraft m, Map<String, GatewayConfig.Provider> providers) {
        List<GatewayConfig.Deployment> deployments = new ArrayList<>();
        for (DeploymentDraft d : m.deployments) {
            if (d.provider() == null || !providers.containsKey(d.provider())) {
                throw new ConfigException(d.source() + ".provider: '" + d.provider() + "' is not a configured provider; "
                        + "configured: " + (providers.isEmpty() ? "none (add one under providers:)" : String.join(", ", providers.keySet())));
            }
            deployments.add(new GatewayConfig.Deployment(d.provider(), blankToNull(d.model()), d.maxOutputTokens(), d.reasoning(),
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
        for (GatewayConfig.Deployment d : model.deployments()) {
            GatewayConfig.Provider p = providers.get(d.provider());
            URI url = p.baseUrl() != null ? p.baseUrl() : p.chatCompletionsUrl();
            String identity = p.type().configName() + " at " + (url == null ? "its default address" : url.getHost());
            holders.putIfAbsent(identity, p.name());
        }
        if (holders.size() > 1) {
            List<String> named = holders.entrySet().stream().map(e -> "'" + e.getValue() + "' (" + e.getKey() + ")").toList();
            throw new ConfigException(source + ": in auth mode " + mode.configName() + " a caller's own key would be sent, on "
                    + "failover, to " + String.join(" and to ", named) + "; a key must only reach the provider that issued it. "
                    + "Give this model deployments of one provider, or use auth.mode: gateway with each provider's own api_key");
        }
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
        if (provider.type() != ProviderType.ANTHROPIC) {
            throw new ConfigException(d.source() + ".thinking: only for deployments of an anthropic provider; for "
                    + provider.type().configName() + " say whether the model reasons with reasoning: true | false instead");
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
        boolean configuredKeys = providers.values().stream().anyMatch(p -> p.apiKey() != null);
        // The mock is the gateway's own upstream like one with a configured key, but it has no secret to lend.
        boolean ownUpstream = configuredKeys || providers.values().stream().anyMatch(p -> p.type() == ProviderType.MOCK);
        AuthMode mode;
        if (draft.mode != null) {
            try {
                mode = AuthMode.parse(draft.mode);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("auth.mode: '" + draft.mode + "' is not a mode; use one of "
                        + String.join(" | ", Arrays.stream(AuthMode.values()).map(AuthMode::configName).toList()));
            }
            if (mode != AuthMode.CLIENT && keys.isEmpty()) {
                throw new ConfigException("auth.mode: " + mode.configName() + " needs gateway keys; set PROXY_API_KEY "
                        + "(or PROXY_API_KEYS, or auth.keys), or use mode client to forward the client's own key");
            }
        } else if (!keys.isEmpty()) {
            // Gateway keys but no upstream key to use with them (BACKEND_URL): other keys are the clients' own.
            mode = ownUpstream ? AuthMode.GATEWAY : AuthMode.HYBRID;
        } else if (configuredKeys) {
            throw new ConfigException("auth: upstream keys are configured but no gateway key is, which would let anyone use "
                    + "them; set PROXY_API_KEY (32-256 characters, e.g. from: openssl rand -hex 32), or set auth.mode: client "
                    + "to forward each client's own key instead");
        } else {
            mode = AuthMode.CLIENT;
        }
        return new GatewayConfig.Auth(mode, keys, headers);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
