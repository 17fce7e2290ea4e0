package io.llmgw.core.routing;

import io.llmgw.core.relay.Relay;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.auth.Credential;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.error.GatewayException;
import io.llmgw.core.upstream.UpstreamRequest;
import io.llmgw.core.json.Json;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.spi.ListedModel;
import io.llmgw.core.spi.ModelListing;
import io.llmgw.core.spi.Provider;
import io.llmgw.core.spi.UpstreamCall;
import io.llmgw.core.spi.Upstreams;
import java.io.IOException;
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
 * to the configured names. A provider whose list would not name what its requests take (Azure's
 * lists base models, its requests name deployments) offers no listing and is not asked.
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
    private final Upstreams upstreams;
    private final LongSupplier nanoTime;
    private final Map<String, Cached> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > MAX_LISTS;
        }
    };

    public UpstreamModels(GatewayConfig config, ModelRouter router, Relay relay, Upstreams upstreams) {
        this(config, router, relay, upstreams, System::nanoTime);
    }

    UpstreamModels(GatewayConfig config, ModelRouter router, Relay relay, Upstreams upstreams, LongSupplier nanoTime) {
        this.config = config;
        this.upstreams = upstreams;
        this.router = router;
        this.relay = relay;
        this.nanoTime = nanoTime;
    }

    /** The models to list beside the configured names, in the upstreams' order; empty when there is nothing to ask. */
    public List<Listed> list(Credential credential, RequestContext ctx) {
        List<Listed> out = new ArrayList<>();
        for (GatewayConfig.Model model : config.models()) {
            GatewayConfig.DeploymentConfig first = model.deployments().get(0);
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
        Provider upstream = upstreams.get(provider.name());
        ModelListing listing = upstream.modelListing();
        if (listing == null) {
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
        List<Listed> models = fetch(provider, upstream, listing, key, ctx);
        Duration keep = models == null ? FAILED_FOR : FRESH_FOR;
        List<Listed> result = models == null ? List.of() : models;
        synchronized (cache) {
            cache.put(cacheKey, new Cached(result, now + keep.toNanos()));
        }
        return result;
    }

    /** The upstream's list, or null when it could not be had (any failure: the caller then lists configured names only). */
    private List<Listed> fetch(GatewayConfig.Provider provider, Provider upstream, ModelListing listing, String key, RequestContext ctx) {
        UpstreamRequest request = listing.request();
        Duration connect = provider.connectTimeout().compareTo(TIMEOUT) < 0 ? provider.connectTimeout() : TIMEOUT;
        UpstreamRequest bounded = upstream.sign(new UpstreamRequest(request.uri(), request.headers(), null, TIMEOUT, connect)
                .withHeader("x-request-id", ctx.requestId()), key);
        UpstreamCall call = UpstreamCall.of(bounded, (status, headers, body, gatewayKey) ->
                GatewayError.of(ErrorKind.UPSTREAM_ERROR, "models list answered " + status));
        try {
            byte[] body = relay.callAndWait(bounded, call, key != null, ctx);
            return parse(listing.read(Json.parse(body)), provider);
        } catch (GatewayException e) {
            Log.LOG.debug("models list of provider {} not used: {}", provider.name(), e.error().message());
            return null;
        } catch (IOException | RuntimeException e) {
            Log.LOG.debug("models list of provider {} not used: {}", provider.name(), e.toString());
            return null;
        }
    }

    /** Only plain names are listed, at most {@link #MAX_MODELS_PER_LIST}; an entry's owner is the upstream's word for it, else the provider. */
    private static List<Listed> parse(List<ListedModel> listed, GatewayConfig.Provider provider) {
        List<Listed> models = new ArrayList<>();
        for (ListedModel entry : listed) {
            String id = plain(entry.id());
            if (id == null || models.size() >= MAX_MODELS_PER_LIST) {
                continue;
            }
            String owner = plain(entry.ownedBy());
            models.add(new Listed(id, entry.created(), owner != null ? owner : provider.name(), plain(entry.displayName()),
                    plain(entry.createdAt()), entry.anthropicEntry()));
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
