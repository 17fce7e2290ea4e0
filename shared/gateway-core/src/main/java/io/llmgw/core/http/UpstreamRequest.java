package io.llmgw.core.http;

import java.net.URI;
import java.time.Duration;

/**
 * One HTTP call to an upstream: a POST of {@code body}, or a GET when it is null.
 *
 * @param timeout        the whole exchange, from sending to the last body byte
 * @param connectTimeout establishing the connection
 */
public record UpstreamRequest(URI uri, Headers headers, byte[] body, Duration timeout, Duration connectTimeout) {
    /** The same call with its timeout cut to {@code limit} when that is shorter. */
    public UpstreamRequest boundedBy(Duration limit) {
        if (limit == null || limit.compareTo(timeout) >= 0) {
            return this;
        }
        Duration bounded = limit.isNegative() || limit.isZero() ? Duration.ofMillis(1) : limit;
        return new UpstreamRequest(uri, headers, body, bounded, connectTimeout.compareTo(bounded) > 0 ? bounded : connectTimeout);
    }
}
