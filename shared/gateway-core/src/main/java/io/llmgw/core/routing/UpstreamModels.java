package io.llmgw.core.routing;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.auth.Credential;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.config.ProviderType;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.error.GatewayException;
import io.llmgw.core.http.Headers;
import io.llmgw.core.http.UpstreamRequest;
import io.llmgw.core.json.Json;
import io.llmgw.core.provider.Providers;
import io.llmgw.core.provider.UpstreamAdapter;
import io.llmgw.core.telemetry.RequestContext;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models upstreams behind glob routes list themselves, for {@code GET /v1/models}: a route like
 * {@code "*"} whose first deployment names no model sends every name on as asked, so the names a
 * client can pick are the ones that upstream serves. Its models route is asked with the key a chat
 * request would carry (the configured one, or in client and hybrid modes the caller's own), and an
 * id is listed only if the gateway would route it to that very entry. Lists are kept for a short
 * time per provider and key (a small bounded cache, so a burst of clients opening their model
 * pickers costs one upstream call); a list that fails gives nothing, and the endpoint falls back
 * to the configured names. Azure OpenAI is not asked: its models route lists base models, while
 * its requests name deployments.
 */
public final class UpstreamModels {
    /** Created on first use (see {@code Gateway.Log}). */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(UpstreamModels.class);
    }

    /**
     * One model as the upstream described it; every field but {@code id} may be null.
     *
     * @param anthropicEntry the entry as an Anthropic upstream wrote it (capabilities, limits, lifecycle…), for
     *                       Anthropic clients; null from other upstreams
     */
    public record Listed(String id, Long created, String ownedBy, String displayName, String createdAt, JsonNode anthropicEntry) {
        public Listed(String id, Long created, String ownedBy, String displayName, String createdAt) {
            this(id, created, ownedBy, displayName, createdAt, null);
        }
    }

    static final Duration FRESH_FOR = Duration.ofSeconds(60);
    /** A failed list is asked again sooner, but not on every request while the upstream is down. */
    static final Duration FAILED_FOR = Duration.ofSeconds(10);
    static final int MAX_LISTS = 32;
    static final int MAX_MODELS_PER_LIST = 2000;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Ids and labels an upstream gives are listed only when they look like names, never control characters or essays. */
    private static final Pattern PLAIN = Pattern.compile("[^\\p{Cntrl}\\u2028\\u2029]{1,256}");

    private record Cached(List<Listed> models, long expiresNanos) {}

    private final GatewayConfig config;
    private final ModelRouter router;
    private final Relay relay;
    private final LongSupplier nanoTime;
    private final Map<String, Cached> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > MAX_LISTS;
        }
    };

    public UpstreamModels(GatewayConfig config, ModelRouter router, Relay relay) {
        this(config, router, relay, System::nanoTime);
    }

    UpstreamModels(GatewayConfig config, ModelRouter router, Relay relay, LongSupplier nanoTime) {
        this.config = config;
        this.router = router;
        this.relay = relay;
        this.nanoTime = nanoTime;
    }

    /** The models to list beside the configured names, in the upstreams' order; empty when there is nothing to ask. */
    public List<Listed> list(Credential credential, RequestContext ctx) {
        List<Listed> out = new ArrayList<>();
        for (GatewayConfig.Model model : config.models()) {
            GatewayConfig.Deployment first = model.deployments().get(0);
            if (!model.isPattern() || first.model() != null) {
                continue;
            }
            GatewayConfig.Provider provider = config.providers().get(first.provider());
            for (Listed listed : cached(provider, credential, ctx)) {
                Optional<Route> route = router.route(listed.id());
                if (route.isPresent() && route.get().configuredName().equals(model.name())) {
                    out.add(listed);
                }
            }
        }
        return out;
    }

    private List<Listed> cached(GatewayConfig.Provider provider, Credential credential, RequestContext ctx) {
        UpstreamAdapter adapter = Providers.adapter(provider.type());
        URI uri = provider.type() == ProviderType.AZURE_OPENAI ? null : adapter.modelsUri(provider);
        if (uri == null) {
            return List.of();
        }
        String key = credential.usesConfiguredKey() ? provider.apiKey() : credential.forwardedKey();
        String cacheKey = provider.name() + "\n" + fingerprint(key);
        long now = nanoTime.getAsLong();
        synchronized (cache) {
            Cached hit = cache.get(cacheKey);
            if (hit != null && now - hit.expiresNanos() < 0) {
                return hit.models();
            }
        }
        List<Listed> models = fetch(provider, adapter, uri, key, ctx);
        Duration keep = models == null ? FAILED_FOR : FRESH_FOR;
        List<Listed> result = models == null ? List.of() : models;
        synchronized (cache) {
            cache.put(cacheKey, new Cached(result, now + keep.toNanos()));
        }
        return result;
    }

    /** The upstream's list, or null when it could not be had (any failure: the caller then lists configured names only). */
    private List<Listed> fetch(GatewayConfig.Provider provider, UpstreamAdapter adapter, URI uri, String key, RequestContext ctx) {
        Headers headers = Headers.of("accept", "application/json", "user-agent", "llm-gateway/0.1", "x-request-id", ctx.requestId());
        adapter.authorize(headers, key);
        if (provider.type() == ProviderType.ANTHROPIC) {
            uri = URI.create(uri + "?limit=1000");  // Anthropic pages by 20 unless asked for more
        }
        Duration connect = provider.connectTimeout().compareTo(TIMEOUT) < 0 ? provider.connectTimeout() : TIMEOUT;
        try {
            byte[] body = relay.call(new UpstreamRequest(uri, headers, null, TIMEOUT, connect),
                    (status, h, errorBody) -> GatewayError.of(ErrorKind.UPSTREAM_ERROR, "models list answered " + status), ctx);
            return parse(Json.parse(body), provider);
        } catch (GatewayException e) {
            Log.LOG.debug("models list of provider {} not used: {}", provider.name(), e.error().message());
            return null;
        } catch (IOException | RuntimeException e) {
            Log.LOG.debug("models list of provider {} not used: {}", provider.name(), e.toString());
            return null;
        }
    }

    /** An entry's owner is the upstream's word for it, else the provider it is served from (Anthropic's list names none). */
    private static List<Listed> parse(JsonNode list, GatewayConfig.Provider provider) {
        boolean gemini = provider.type() == ProviderType.GEMINI;
        List<Listed> models = new ArrayList<>();
        for (JsonNode entry : list.path("data")) {
            String id = plain(Json.text(entry, "id"));
            if (id != null && gemini && id.startsWith("models/")) {
                id = id.substring("models/".length());  // Gemini lists resource names; requests take the bare id
            }
            if (id == null || id.isEmpty() || models.size() >= MAX_MODELS_PER_LIST) {
                continue;
            }
            JsonNode created = entry.get("created");
            String owner = plain(Json.text(entry, "owned_by"));
            models.add(new Listed(id, created != null && created.canConvertToLong() ? created.longValue() : null,
                    owner != null ? owner : provider.name(), plain(Json.text(entry, "display_name")), plain(Json.text(entry, "created_at")),
                    provider.type() == ProviderType.ANTHROPIC && entry.isObject() ? entry : null));
        }
        return models;
    }

    private static String plain(String text) {
        return text != null && PLAIN.matcher(text).matches() ? text : null;
    }

    /** Keys are held only as digests: a list fetched with one caller's key is never served to another's. */
    private static String fingerprint(String key) {
        if (key == null) {
            return "-";
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
