package io.llmgw.core.config.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.config.CacheConfig;
import io.llmgw.core.config.ConfigException;
import io.llmgw.core.config.ConfigValues;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;

/** Reads {@code cache:} and the {@code cache} settings of virtual keys; the routes it names are checked against {@code models:} later. */
final class CacheSection {
    static final Set<String> KEYS = Set.of("enabled", "ttl", "max_entry_bytes", "max_total_bytes", "tool_calls", "per_key", "routes",
            "encryption_key");
    private static final Set<String> OWN = Set.of("enabled", "ttl", "max_entry_bytes");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*(b|kb|mb|gb|kib|mib|gib)?");
    /** Far above any model answer; a bound so that a typo cannot ask for the whole heap per entry. */
    private static final long MAX_ENTRY = 64L * 1024 * 1024;

    private CacheSection() {}

    static CacheConfig read(JsonNode node) {
        if (node == null || node.isNull()) {
            return CacheConfig.OFF;
        }
        if (!node.isObject()) {
            throw new ConfigException("cache: must be a mapping like { enabled: true, ttl: 1h }");
        }
        ConfigFile.checkKeys(node, "cache", KEYS);
        boolean enabled = node.has("enabled") && ConfigFile.bool(node.get("enabled"), "cache.enabled");
        Duration ttl = node.has("ttl") ? ttl(node.get("ttl"), "cache.ttl") : CacheConfig.DEFAULT_TTL;
        long maxEntry = node.has("max_entry_bytes") ? bytes(node.get("max_entry_bytes"), "cache.max_entry_bytes", MAX_ENTRY)
                : CacheConfig.DEFAULT_MAX_ENTRY_BYTES;
        long maxTotal = node.has("max_total_bytes") ? bytes(node.get("max_total_bytes"), "cache.max_total_bytes", Long.MAX_VALUE / 4)
                : CacheConfig.DEFAULT_MAX_TOTAL_BYTES;
        boolean toolCalls = node.has("tool_calls") && ConfigFile.bool(node.get("tool_calls"), "cache.tool_calls");
        boolean perKey = node.has("per_key") && ConfigFile.bool(node.get("per_key"), "cache.per_key");
        Map<String, CacheConfig.Own> routes = routes(node.get("routes"));
        SecretKey key = node.hasNonNull("encryption_key") ? ResponsesStoreSection.key(node.get("encryption_key").asText(),
                "cache.encryption_key") : null;
        for (Map.Entry<String, CacheConfig.Own> route : routes.entrySet()) {
            Long own = route.getValue().maxEntryBytes();
            if (own != null && own > maxTotal) {
                throw tooLarge("cache.routes." + route.getKey() + ".max_entry_bytes", own, maxTotal);
            }
        }
        if (maxEntry > maxTotal) {
            throw tooLarge("cache.max_entry_bytes", maxEntry, maxTotal);
        }
        return new CacheConfig(enabled, ttl, maxEntry, maxTotal, toolCalls, perKey, Map.copyOf(routes), Map.of(), key);
    }

    /**
     * The cache with the virtual keys' own settings ({@code auth.virtual_keys[].cache}, the rest of each key already
     * checked): {@code true} or {@code false}, or a mapping like a route's {@code { enabled, ttl, max_entry_bytes }}.
     */
    static CacheConfig withKeys(CacheConfig cache, JsonNode virtualKeys) {
        Map<String, CacheConfig.Own> keys = new LinkedHashMap<>();
        for (int i = 0; virtualKeys != null && virtualKeys.isArray() && i < virtualKeys.size(); i++) {
            JsonNode own = virtualKeys.get(i).get("cache");
            String path = "auth.virtual_keys[" + i + "].cache";
            String name = virtualKeys.get(i).path("name").asText().trim();
            if (own == null || own.isNull()) {
                continue;
            } else if (own.isObject()) {
                CacheConfig.Own settings = own(own, path);
                if (settings.maxEntryBytes() != null && settings.maxEntryBytes() > cache.maxTotalBytes()) {
                    throw tooLarge(path + ".max_entry_bytes", settings.maxEntryBytes(), cache.maxTotalBytes());
                }
                keys.put(name, settings);
            } else {
                try {
                    keys.put(name, new CacheConfig.Own(ConfigFile.bool(own, path), null, null));
                } catch (ConfigException notABoolean) {
                    throw new ConfigException(path + ": '" + own.asText() + "' is not true, false or a mapping like "
                            + "{ enabled: true, ttl: 10m, max_entry_bytes: 256KiB }");
                }
            }
        }
        return new CacheConfig(cache.enabled(), cache.ttl(), cache.maxEntryBytes(), cache.maxTotalBytes(), cache.toolCalls(),
                cache.perKey(), cache.routes(), Map.copyOf(keys), cache.encryptionKey());
    }

    /** {@code GATEWAY_CACHE_TTL} turns the cache on with that time to live, over whatever the file says. */
    static CacheConfig withEnvironment(CacheConfig cache, String ttl) {
        if (ttl == null) {
            return cache;
        }
        return new CacheConfig(true, ConfigValues.duration(ttl, "GATEWAY_CACHE_TTL", "s"), cache.maxEntryBytes(), cache.maxTotalBytes(),
                cache.toolCalls(), cache.perKey(), cache.routes(), cache.keys(), cache.encryptionKey());
    }

    private static Map<String, CacheConfig.Own> routes(JsonNode node) {
        return ConfigFile.namedEntries(node, "cache.routes", "model name (as under models:) to { enabled, ttl, max_entry_bytes }",
                new LinkedHashMap<>(), (route, path) -> own(ConfigFile.entry(route, path, "like { enabled: true, ttl: 10m }", OWN), path));
    }

    private static CacheConfig.Own own(JsonNode node, String path) {
        ConfigFile.checkKeys(node, path, OWN);
        return new CacheConfig.Own(
                node.has("enabled") ? ConfigFile.bool(node.get("enabled"), path + ".enabled") : null,
                node.has("ttl") ? ttl(node.get("ttl"), path + ".ttl") : null,
                node.has("max_entry_bytes") ? bytes(node.get("max_entry_bytes"), path + ".max_entry_bytes", MAX_ENTRY) : null);
    }

    private static Duration ttl(JsonNode node, String path) {
        return ConfigValues.duration(node.asText(), path, "s");
    }

    /** A size in bytes: a whole number, optionally with a unit (KB, MB, GB are 1000s; KiB, MiB, GiB 1024s). */
    static long bytes(JsonNode node, String path, long max) {
        Matcher m = SIZE.matcher(node.asText().trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long unit = switch (m.group(2) == null ? "b" : m.group(2)) {
                case "kb" -> 1000L;
                case "mb" -> 1000L * 1000;
                case "gb" -> 1000L * 1000 * 1000;
                case "kib" -> 1024L;
                case "mib" -> 1024L * 1024;
                case "gib" -> 1024L * 1024 * 1024;
                default -> 1L;
            };
            long amount = Long.parseLong(m.group(1));
            if (amount >= 1 && amount <= max / unit) {
                return amount * unit;
            }
        }
        throw new ConfigException(path + ": '" + node.asText() + "' is not a size between 1 byte and " + max
                + " bytes; write e.g. 1048576, 512KiB or 64MiB");
    }

    private static ConfigException tooLarge(String path, long entry, long total) {
        return new ConfigException(path + ": " + entry + " bytes is more than cache.max_total_bytes (" + total
                + "); an entry that large could never be kept — lower it or raise max_total_bytes");
    }
}
