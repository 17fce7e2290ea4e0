package io.llmgw.state.redis;

import io.llmgw.core.config.ConfigException;
import io.llmgw.core.config.ConfigValues;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code state:} options of the Redis store, checked.
 *
 * @param uri     where the server is, with its credentials (never printed: {@link #where()} is what messages show)
 * @param prefix  put before every key, so several gateways (or other programs) can share one database
 * @param timeout for connecting and for each command: a store that hangs costs a request this long at most
 */
public record RedisSettings(RedisURI uri, String prefix, Duration timeout) {
    public static final String URL = "url";
    public static final String PREFIX = "prefix";
    public static final String TIMEOUT = "timeout";
    static final Set<String> OPTIONS = Set.of(URL, PREFIX, TIMEOUT);
    static final String DEFAULT_PREFIX = "llmgw:";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+|[0-9A-Fa-f:.]+");

    private static final String URL_SOURCE = "state.url (or GATEWAY_REDIS_URL)";
    private static final String URL_EXAMPLE = "write e.g. redis://cache:6379, or rediss://:<password>@cache:6380/0 for TLS with a password";

    /** Reads the options {@code state:} (or the environment) gave; throws {@link ConfigException} naming the one to fix. */
    public static RedisSettings from(Map<String, String> options) {
        String url = options.get(URL);
        if (url == null || url.isBlank()) {
            throw new ConfigException(URL_SOURCE + ": required for store redis; " + URL_EXAMPLE);
        }
        Duration timeout = options.containsKey(TIMEOUT)
                ? ConfigValues.duration(options.get(TIMEOUT), "state.timeout", "s")
                : DEFAULT_TIMEOUT;
        String prefix = options.getOrDefault(PREFIX, DEFAULT_PREFIX);
        return new RedisSettings(parse(url.trim()), prefix, timeout);
    }

    /** The server as messages and logs name it: scheme, host, port and database, never credentials. */
    public String where() {
        return (uri.isSsl() ? "rediss" : "redis") + "://" + uri.getHost() + ":" + uri.getPort()
                + (uri.getDatabase() == 0 ? "" : "/" + uri.getDatabase());
    }

    private static RedisURI parse(String url) {
        String scheme = url.contains("://") ? url.substring(0, url.indexOf("://")).toLowerCase(Locale.ROOT) : "";
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw new ConfigException(URL_SOURCE + ": '" + masked(url) + "' is not a redis:// or rediss:// URL; " + URL_EXAMPLE);
        }
        RedisURI uri;
        try {
            uri = RedisURI.create(url);
        } catch (RuntimeException e) {
            // Lettuce's own message may repeat the URL, password included, so it is not passed on
            throw new ConfigException(URL_SOURCE + ": '" + masked(url) + "' is not a valid Redis URL; " + URL_EXAMPLE);
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new ConfigException(URL_SOURCE + ": '" + masked(url) + "' names no host; " + URL_EXAMPLE);
        }
        // Lettuce reads "cache:notaport" as a host name; only IPv6 literals hold colons
        if (!HOST.matcher(uri.getHost()).matches()) {
            throw new ConfigException(URL_SOURCE + ": '" + masked(url) + "' has no valid host and port; " + URL_EXAMPLE);
        }
        return uri;
    }

    /**
     * The URL with its credentials (everything between {@code ://} and the last {@code @}: a
     * password may itself hold {@code /}, {@code ?} or {@code @}) and any query replaced by {@code ***}.
     */
    static String masked(String url) {
        int at = url.lastIndexOf('@');
        String head = "";
        String rest = url;
        if (at >= 0) {
            int start = url.indexOf("://");
            head = (start >= 0 && start < at ? url.substring(0, start + 3) : "") + "***";
            rest = url.substring(at);
        }
        int query = rest.indexOf('?');
        return head + (query >= 0 ? rest.substring(0, query) + "?***" : rest);
    }
}
