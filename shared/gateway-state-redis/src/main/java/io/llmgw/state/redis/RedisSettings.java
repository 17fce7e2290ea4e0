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
 * @param auth    how the store signs in: {@value #PASSWORD_AUTH} (whatever the URL holds, if anything) or the
 *                name of a {@link RedisCredentialsSource}, e.g. {@code entra}
 */
public record RedisSettings(RedisURI uri, String prefix, Duration timeout, String auth) {
    public static final String URL = "url";
    public static final String PREFIX = "prefix";
    public static final String TIMEOUT = "timeout";
    public static final String AUTH = "auth";
    /** The default: the password (and user) in the URL, or none. */
    public static final String PASSWORD_AUTH = "password";
    static final Set<String> OPTIONS = Set.of(URL, PREFIX, TIMEOUT, AUTH);
    static final String DEFAULT_PREFIX = "llmgw:";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+|[0-9A-Fa-f:.]+");
    private static final Pattern AUTH_NAME = Pattern.compile("[a-z][a-z0-9-]*");

    static final String AUTH_SOURCE = "state.auth (or GATEWAY_REDIS_AUTH)";
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
        String auth = auth(options);
        RedisURI uri = parse(url.trim());
        if (!auth.equals(PASSWORD_AUTH)) {
            checkForTokens(uri, url.trim(), auth);
        }
        return new RedisSettings(uri, prefix, timeout, auth);
    }

    /** The {@code auth} option, checked: {@value #PASSWORD_AUTH} when absent. */
    static String auth(Map<String, String> options) {
        String auth = options.getOrDefault(AUTH, PASSWORD_AUTH).trim().toLowerCase(Locale.ROOT);
        if (!AUTH_NAME.matcher(auth).matches()) {
            throw new ConfigException(AUTH_SOURCE + ": '" + options.get(AUTH) + "' is not a way to sign in; write "
                    + PASSWORD_AUTH + " (the default: the password in the URL, if any) or entra (Microsoft Entra ID tokens)");
        }
        return auth;
    }

    /** True when the store signs in with tokens from a {@link RedisCredentialsSource}. */
    public boolean usesTokens() {
        return !auth.equals(PASSWORD_AUTH);
    }

    /**
     * With tokens the URL names the server only, and a token crosses the network only inside TLS:
     * {@code redis://} is accepted for a loopback address alone (a tunnel, an emulator), where
     * nothing leaves the machine.
     */
    private static void checkForTokens(RedisURI uri, String url, String auth) {
        if ((uri.getPassword() != null && uri.getPassword().length > 0) || (uri.getUsername() != null && !uri.getUsername().isEmpty())) {
            throw new ConfigException(URL_SOURCE + ": '" + masked(url) + "' holds credentials, but state.auth is " + auth
                    + ", which signs in with tokens; remove the user and password from the URL (or set state.auth to " + PASSWORD_AUTH + ")");
        }
        if (!uri.isSsl() && !isLoopback(uri.getHost())) {
            throw new ConfigException(URL_SOURCE + ": '" + masked(url) + "' is not TLS, and state.auth " + auth
                    + " would send its tokens in clear text; write rediss://" + uri.getHost() + ":" + uri.getPort()
                    + " (Azure Managed Redis: rediss://<name>.<region>.redis.azure.net:10000)");
        }
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
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
