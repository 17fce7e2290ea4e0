package io.llmgw.core.config;

import java.time.Duration;
import java.util.Map;
import javax.crypto.SecretKey;

/**
 * The exact response cache ({@code cache:}): whether answers are kept, for how long and how large,
 * per model route and per virtual key.
 *
 * @param enabled       whether routes cache unless their own entry says otherwise
 * @param ttl           how long an answer is kept
 * @param maxEntryBytes the largest answer kept, as stored
 * @param maxTotalBytes what the cache may hold in memory (the {@code memory} state store) before the least recently used answers go
 * @param toolCalls     whether answers that call tools are kept too
 * @param perKey        whether each caller has a cache of its own (the key's identity is part of every entry's key)
 * @param routes        per model route (a name under {@code models:}), what differs from the above
 * @param keys          per virtual key (its name; {@code auth.virtual_keys[].cache}), what differs from the above
 * @param encryptionKey the AES key entries are sealed with (AES-GCM), or null to store them unencrypted
 */
public record CacheConfig(boolean enabled, Duration ttl, long maxEntryBytes, long maxTotalBytes, boolean toolCalls, boolean perKey,
                          Map<String, Own> routes, Map<String, Own> keys, SecretKey encryptionKey) {
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    public static final long DEFAULT_MAX_ENTRY_BYTES = 1024 * 1024;
    public static final long DEFAULT_MAX_TOTAL_BYTES = 64L * 1024 * 1024;
    public static final CacheConfig OFF = new CacheConfig(false, DEFAULT_TTL, DEFAULT_MAX_ENTRY_BYTES, DEFAULT_MAX_TOTAL_BYTES, false,
            false, Map.of(), Map.of(), null);

    /** A route's or a virtual key's own settings; null where it takes the cache's. */
    public record Own(Boolean enabled, Duration ttl, Long maxEntryBytes) {}

    /** Never the key: this record reaches logs and messages. */
    @Override
    public String toString() {
        return "CacheConfig[enabled=" + enabled + ", ttl=" + ttl + ", maxEntryBytes=" + maxEntryBytes + ", maxTotalBytes=" + maxTotalBytes
                + ", toolCalls=" + toolCalls + ", perKey=" + perKey + ", routes=" + routes + ", keys=" + keys + ", encrypted="
                + (encryptionKey != null) + "]";
    }

    /** Whether any route or key caches at all (else the gateway has no cache). */
    public boolean anyEnabled() {
        return enabled || routes.values().stream().anyMatch(r -> Boolean.TRUE.equals(r.enabled()))
                || keys.values().stream().anyMatch(k -> Boolean.TRUE.equals(k.enabled()));
    }

    /**
     * Whether calls to the route (its configured name) by the virtual key (its name, or null for any
     * other caller) use the cache: never on a route turned off; else as the key says, if it says;
     * else as the route says, if it says; else as {@code cache.enabled} says.
     */
    public boolean enabledFor(String route, String key) {
        Own ownRoute = routes.get(route);
        if (ownRoute != null && Boolean.FALSE.equals(ownRoute.enabled())) {
            return false;
        }
        Own ownKey = key == null ? null : keys.get(key);
        if (ownKey != null && ownKey.enabled() != null) {
            return ownKey.enabled();
        }
        return ownRoute != null && ownRoute.enabled() != null ? ownRoute.enabled() : enabled;
    }

    /** How long an answer may be kept and served: the shorter of the route's and the key's, where each has its own. */
    public Duration ttlFor(String route, String key) {
        Own ownRoute = routes.get(route);
        Duration forRoute = ownRoute != null && ownRoute.ttl() != null ? ownRoute.ttl() : ttl;
        Own ownKey = key == null ? null : keys.get(key);
        return ownKey != null && ownKey.ttl() != null && ownKey.ttl().compareTo(forRoute) < 0 ? ownKey.ttl() : forRoute;
    }

    /** The largest answer kept: the smaller of the route's and the key's, where each has its own. */
    public long maxEntryBytesFor(String route, String key) {
        Own ownRoute = routes.get(route);
        long forRoute = ownRoute != null && ownRoute.maxEntryBytes() != null ? ownRoute.maxEntryBytes() : maxEntryBytes;
        Own ownKey = key == null ? null : keys.get(key);
        return ownKey != null && ownKey.maxEntryBytes() != null ? Math.min(ownKey.maxEntryBytes(), forRoute) : forRoute;
    }
}
