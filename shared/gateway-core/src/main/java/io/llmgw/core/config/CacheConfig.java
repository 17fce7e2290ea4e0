package io.llmgw.core.config;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

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
 * @param keysWithout   virtual keys whose requests never use the cache ({@code auth.virtual_keys[].cache: false})
 */
public record CacheConfig(boolean enabled, Duration ttl, long maxEntryBytes, long maxTotalBytes, boolean toolCalls, boolean perKey,
                          Map<String, Route> routes, Set<String> keysWithout) {
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    public static final long DEFAULT_MAX_ENTRY_BYTES = 1024 * 1024;
    public static final long DEFAULT_MAX_TOTAL_BYTES = 64L * 1024 * 1024;
    public static final CacheConfig OFF = new CacheConfig(false, DEFAULT_TTL, DEFAULT_MAX_ENTRY_BYTES, DEFAULT_MAX_TOTAL_BYTES, false,
            false, Map.of(), Set.of());

    /**
     * One route's own settings; null where it takes the cache's.
     */
    public record Route(Boolean enabled, Duration ttl, Long maxEntryBytes) {}

    /** Whether any route caches at all (else the gateway has no cache). */
    public boolean anyEnabled() {
        return enabled || routes.values().stream().anyMatch(r -> Boolean.TRUE.equals(r.enabled()));
    }

    /** Whether the route (its configured name) caches. */
    public boolean enabledFor(String route) {
        Route own = routes.get(route);
        return own != null && own.enabled() != null ? own.enabled() : enabled;
    }

    public Duration ttlFor(String route) {
        Route own = routes.get(route);
        return own != null && own.ttl() != null ? own.ttl() : ttl;
    }

    public long maxEntryBytesFor(String route) {
        Route own = routes.get(route);
        return own != null && own.maxEntryBytes() != null ? own.maxEntryBytes() : maxEntryBytes;
    }
}
