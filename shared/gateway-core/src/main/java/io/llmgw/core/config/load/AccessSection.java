package io.llmgw.core.config.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.config.AccessConfig;
import io.llmgw.core.config.AccessConfig.Budget;
import io.llmgw.core.config.AccessConfig.Limits;
import io.llmgw.core.config.AccessConfig.Period;
import io.llmgw.core.config.AccessConfig.Policy;
import io.llmgw.core.config.AccessConfig.Price;
import io.llmgw.core.config.AccessConfig.VirtualKey;
import io.llmgw.core.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads who may call and how much: {@code auth.virtual_keys}, {@code teams}, {@code limits},
 * {@code state} and {@code prices}. Every number is checked here, so a typo stops the start
 * instead of silently lifting a limit.
 */
final class AccessSection {
    private static final Set<String> VIRTUAL_KEY = Set.of("name", "key", "key_sha256", "team", "models", "limits", "budget", "expires",
            "cache");
    private static final Set<String> POLICY = Set.of("models", "limits", "budget");
    private static final Set<String> LIMITS = Set.of("requests_per_minute", "burst", "tokens_per_minute", "concurrent");
    private static final Set<String> BUDGET = Set.of("usd", "tokens", "period");
    static final Set<String> LIMITS_SECTION = Set.of("global", "per_client_ip", "per_model", "trusted_proxies", "fail_closed");
    private static final Set<String> PRICE = Set.of("input_per_mtok", "output_per_mtok", "cache_read_per_mtok", "cache_write_per_mtok");
    /**
     * Bucket4j refills at most one token per nanosecond (it refuses the bucket otherwise, on every
     * request); a larger figure would pass the start and then fail each request's limit check.
     */
    static final long MAX_TOKENS_PER_MINUTE = 60_000_000_000L;

    private AccessSection() {}

    static List<VirtualKey> virtualKeys(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new ConfigException("auth.virtual_keys: must be a list of { name, key_sha256 (or key), team, models, limits, budget, expires }");
        }
        List<VirtualKey> keys = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "auth.virtual_keys[" + i + "]";
            JsonNode entry = node.get(i);
            if (!entry.isObject()) {
                throw new ConfigException(path + ": must be a mapping like { name: alice, key_sha256: <64 hex digits> }");
            }
            ConfigFile.checkKeys(entry, path, VIRTUAL_KEY);
            String name = entry.path("name").asText("").trim();
            if (name.isEmpty() || name.length() > 64 || !name.chars().allMatch(c -> c > ' ' && c <= '~')) {
                throw new ConfigException(path + ".name: required, 1 to 64 printable ASCII characters without spaces");
            }
            if (!names.add(name)) {
                throw new ConfigException(path + ".name: '" + name + "' names two virtual keys; names must be unique");
            }
            keys.add(new VirtualKey(name, keyDigest(entry, path), optionalText(entry, "team"), policy(entry, path),
                    expires(entry, path)));
        }
        return List.copyOf(keys);
    }

    private static byte[] keyDigest(JsonNode entry, String path) {
        boolean clear = entry.hasNonNull("key");
        boolean hashed = entry.hasNonNull("key_sha256");
        if (clear == hashed) {
            throw new ConfigException(path + ": give exactly one of 'key' or 'key_sha256' (the key's SHA-256 in hex, e.g. from "
                    + "printf %s \"$KEY\" | sha256sum), so the file need not hold a usable key");
        }
        if (hashed) {
            String hex = entry.get("key_sha256").asText().trim().toLowerCase(Locale.ROOT);
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new ConfigException(path + ".key_sha256: must be 64 hexadecimal digits (a SHA-256)");
            }
            return HexFormat.of().parseHex(hex);
        }
        String key = entry.get("key").asText();
        if (key.length() < 32 || key.length() > 256 || !key.chars().allMatch(c -> c > ' ' && c <= '~')) {
            throw new ConfigException(path + ".key: a key must be 32 to 256 printable characters without spaces; generate one with: "
                    + "openssl rand -hex 32");
        }
        return sha256(key);
    }

    private static Instant expires(JsonNode entry, String path) {
        if (!entry.hasNonNull("expires")) {
            return null;
        }
        String text = entry.get("expires").asText().trim();
        try {
            return text.length() == 10 ? java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
                    : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new ConfigException(path + ".expires: '" + text + "' is not a date; write 2027-01-31 or 2027-01-31T18:00:00Z (UTC)");
        }
    }

    static Map<String, Policy> teams(JsonNode node) {
        return ConfigFile.namedEntries(node, "teams", "team name to { models, limits, budget }", new TreeMap<>(),
                (team, path) -> policy(ConfigFile.entry(team, path, "with models, limits or budget", POLICY), path));
    }

    /** The models, limits and budget of an identity (a virtual key, a team, the JWT section). */
    static Policy policy(JsonNode node, String path) {
        List<String> models = new ArrayList<>();
        JsonNode list = node.get("models");
        if (list != null && !list.isNull()) {
            if (list.isArray()) {
                list.forEach(m -> models.add(m.asText()));
            } else {
                models.add(list.asText());
            }
            for (String glob : models) {
                if (glob.isBlank() || glob.length() > 256) {
                    throw new ConfigException(path + ".models: '" + glob + "' is not a model name or glob like claude-*");
                }
            }
        }
        Limits limits = node.has("limits") ? limits(node.get("limits"), path + ".limits") : Limits.NONE;
        Budget budget = node.has("budget") ? budget(node.get("budget"), path + ".budget") : Budget.NONE;
        return new Policy(List.copyOf(models), limits, budget);
    }

    static Limits limits(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return Limits.NONE;
        }
        if (!node.isObject()) {
            throw new ConfigException(path + ": must be a mapping like { requests_per_minute: 60, burst: 10, tokens_per_minute: 100000, concurrent: 4 }");
        }
        ConfigFile.checkKeys(node, path, LIMITS);
        Limits limits = new Limits((int) count(node, "requests_per_minute", path, 10_000_000),
                (int) count(node, "burst", path, 10_000_000), count(node, "tokens_per_minute", path, MAX_TOKENS_PER_MINUTE),
                (int) count(node, "concurrent", path, 1_000_000));
        if (limits.burst() > 0 && limits.requestsPerMinute() == 0) {
            throw new ConfigException(path + ".burst: only means something with requests_per_minute; set that too");
        }
        return limits;
    }

    static Budget budget(JsonNode node, String path) {
        if (!node.isObject()) {
            throw new ConfigException(path + ": must be a mapping like { usd: 50, period: month } or { tokens: 5000000, period: day }");
        }
        ConfigFile.checkKeys(node, path, BUDGET);
        double usd = 0;
        if (node.has("usd")) {
            JsonNode value = node.get("usd");
            if (!value.isNumber() || value.doubleValue() <= 0 || value.doubleValue() > 1e9) {
                throw new ConfigException(path + ".usd: must be a positive number of US dollars");
            }
            usd = value.doubleValue();
        }
        long tokens = count(node, "tokens", path, Long.MAX_VALUE / 4);
        if (usd == 0 && tokens == 0) {
            throw new ConfigException(path + ": give 'usd', 'tokens' or both");
        }
        Period period = Period.MONTH;
        if (node.has("period")) {
            String text = node.get("period").asText().trim().toUpperCase(Locale.ROOT);
            try {
                period = Period.valueOf(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(path + ".period: '" + node.get("period").asText() + "' is not a period; use day or month");
            }
        }
        return new Budget(usd, tokens, period);
    }

    static Map<String, Limits> perModel(JsonNode node) {
        return ConfigFile.namedEntries(node, "limits.per_model", "model name to limits", new LinkedHashMap<>(), AccessSection::limits);
    }

    static Map<String, Price> prices(JsonNode node) {
        return ConfigFile.namedEntries(node, "prices", "model name to { input_per_mtok, output_per_mtok }", new LinkedHashMap<>(),
                AccessSection::price);
    }

    private static Price price(JsonNode node, String path) {
        JsonNode p = ConfigFile.entry(node, path, "like { input_per_mtok: 3, output_per_mtok: 15 }", PRICE);
        double input = dollars(p, "input_per_mtok", path, null);
        return new Price(input, dollars(p, "output_per_mtok", path, null),
                dollars(p, "cache_read_per_mtok", path, input), dollars(p, "cache_write_per_mtok", path, input));
    }

    private static double dollars(JsonNode node, String field, String path, Double fallback) {
        JsonNode value = node.get(field);
        if (value == null && fallback != null) {
            return fallback;
        }
        if (value == null || !value.isNumber() || value.doubleValue() < 0) {
            throw new ConfigException(path + "." + field + ": must be a non-negative number of dollars per million tokens");
        }
        return value.doubleValue();
    }

    private static long count(JsonNode node, String field, String path, long max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return 0;
        }
        // ${NAME} references arrive as text, so "60" counts as much as 60
        String text = value.isIntegralNumber() || value.isTextual() ? value.asText().trim() : "";
        if (text.matches("\\d{1,19}")) {
            long n = Long.parseLong(text);
            if (n >= 1 && n <= max) {
                return n;
            }
        }
        throw new ConfigException(path + "." + field + ": '" + value.asText() + "' is not a whole number between 1 and " + max);
    }

    static AccessConfig.State state(JsonNode node) {
        if (node == null || node.isNull()) {
            return AccessConfig.State.MEMORY;
        }
        if (!node.isObject()) {
            throw new ConfigException("state: must be a mapping like { store: redis, url: redis://cache:6379 }");
        }
        Map<String, String> options = new TreeMap<>();
        String store = "memory";
        for (var it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isValueNode()) {
                throw new ConfigException("state." + e.getKey() + ": must be a single value");
            }
            if (e.getKey().equals("store")) {
                store = e.getValue().asText().trim().toLowerCase(Locale.ROOT);
            } else if (!e.getValue().isNull()) {
                options.put(e.getKey(), e.getValue().asText());
            }
        }
        return new AccessConfig.State(store, Map.copyOf(options));
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        String text = value.asText().trim();
        if (text.isEmpty() || text.length() > 64) {
            throw new ConfigException("'" + field + "': must be 1 to 64 characters");
        }
        return text;
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
