package io.llmgw.core.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsing of the scalar value types the configuration uses, with messages naming the source. */
public final class ConfigValues {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");
    private static final Duration MAX_DURATION = Duration.ofDays(7);

    private ConfigValues() {}

    /** {@code 600s}, {@code 10m}, {@code 1500ms}, {@code 1h}, {@code 2d}, or a bare number of {@code bareUnit}; at most 7 days. */
    public static Duration duration(String value, String source, String bareUnit) {
        return duration(value, source, bareUnit, MAX_DURATION);
    }

    /** As {@link #duration(String, String, String)}, at most {@code max} (retention periods run longer than timeouts). */
    public static Duration duration(String value, String source, String bareUnit, Duration max) {
        Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ConfigException(source + ": '" + value + "' is not a duration; write e.g. 600s, 10m, 1500ms or 30d");
        }
        String unit = m.group(2) == null ? bareUnit : m.group(2);
        Duration duration;
        try {
            long amount = Long.parseLong(m.group(1));
            duration = switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "d" -> Duration.ofDays(amount);
                default -> Duration.ofHours(amount);
            };
        } catch (NumberFormatException | ArithmeticException tooLong) {
            duration = null;
        }
        // Nothing longer is meant; centuries would overflow the nanosecond arithmetic of every request.
        if (duration == null || duration.compareTo(max) > 0) {
            throw new ConfigException(source + ": '" + value + "' is longer than the " + max.toDays() + " days this duration may be; write e.g. 600s, 10m, 1500ms or 2d");
        }
        if (duration.isZero()) {
            throw new ConfigException(source + ": must be greater than zero (got '" + value + "')");
        }
        return duration;
    }

    public static int positiveInt(String value, String source, int max) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException(source + ": '" + value + "' is not a whole number between 1 and " + max);
    }

    /**
     * An upstream URL: absolute http(s) with a host, and https unless the host is a loopback
     * address (keys must not cross a network in clear text).
     */
    public static URI upstreamUrl(String rawValue, String source) {
        // A URL may carry credentials (https://user:secret@host); they never go into a message.
        String value = rawValue.replaceAll("//[^/@]*@", "//***@");
        if (!value.equals(rawValue)) {
            throw new ConfigException(source + ": '" + value + "' carries credentials in the URL; put the key in api_key instead");
        }
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw new ConfigException(source + ": '" + value + "' is not a URL; write e.g. https://my-resource.openai.azure.com");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            throw new ConfigException(source + ": '" + value + "' is not an absolute http(s) URL; write e.g. https://my-resource.openai.azure.com");
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            throw new ConfigException(source + ": '" + value + "' uses http to a non-loopback host; upstream URLs must be https "
                    + "(plain http is allowed only for localhost / 127.0.0.1 / ::1)");
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new ConfigException(source + ": '" + value + "' must not contain a query or fragment");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(scheme + "://" + uri.getRawAuthority() + path);
    }

    /**
     * {@code ANTHROPIC_BASE_URL} and {@code OPENAI_BASE_URL} are also how clients are pointed at the
     * gateway, so the shell that starts it may hold the gateway's own address: every request would
     * then call itself until the concurrency limits stopped it. Checked for URLs from the
     * environment only; a file names its upstreams on purpose.
     */
    public static void notThisGateway(URI upstream, String source, int gatewayPort) {
        if (!isLoopback(upstream.getHost())) {
            return;
        }
        int port = upstream.getPort() != -1 ? upstream.getPort() : "https".equals(upstream.getScheme()) ? 443 : 80;
        if (port == gatewayPort) {
            throw new ConfigException(source + ": '" + upstream + "' is this gateway's own address (port " + gatewayPort
                    + " on loopback); point it at the real upstream, or unset the variable meant for clients of the gateway");
        }
    }

    public static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        // Only literal addresses are checked: resolving names here would make start-up depend on DNS.
        if (!h.matches("\\d{1,3}(\\.\\d{1,3}){3}") && !h.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** Empty, {@code none} and unset all mean "no key". */
    public static String apiKey(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        return trimmed.isEmpty() || trimmed.equalsIgnoreCase("none") ? null : trimmed;
    }
}
