package io.llmgw.netty;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * Where a connection goes and how it was made: the pool's key. The connect timeout is part of it
 * because it is a property of the connection (as it was of the blocking client's pools), and two
 * requests to one host with different connect timeouts are rare enough that sharing is not worth
 * a connection made under the other's bound.
 *
 * @param tls  https (TLS on the connection) rather than plain http
 * @param host the host name or IP address, without the brackets of an IPv6 literal
 * @param port the port, the scheme's default filled in
 */
record Origin(boolean tls, String host, int port, Duration connectTimeout) {
    /** The origin of {@code uri}; an {@link IllegalArgumentException} for a scheme other than http and https, or no host. */
    static Origin of(URI uri, Duration connectTimeout) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean tls = scheme.equals("https");
        if (!tls && !scheme.equals("http")) {
            throw new IllegalArgumentException("not an http or https URI: " + uri);
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("no host in " + uri);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80;
        return new Origin(tls, host, port, connectTimeout);
    }

    /** The address to connect to, resolved by the bootstrap when it connects. */
    InetSocketAddress address() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** Whole milliseconds of the connect timeout as Netty's option takes them: at least 1, at most what an int holds. */
    int connectTimeoutMillis() {
        return Math.clamp(connectTimeout.toMillis(), 1, Integer.MAX_VALUE);
    }

    @Override
    public String toString() {
        return (tls ? "https://" : "http://") + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
