package io.llmgw.core.upstream;

import io.llmgw.core.http.Headers;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * One HTTP call to an upstream: a POST of {@code body}, or a GET when it is null.
 *
 * @param timeout        the whole exchange, from sending to the last body byte
 * @param connectTimeout establishing the connection
 */
public record UpstreamRequest(URI uri, Headers headers, byte[] body, Duration timeout, Duration connectTimeout) {
    /**
     * Headers a transport computes itself (or that would break the framing) and never forwards, in lower
     * case; every transport sends the same request. {@code Expect} is among them: the body goes with the
     * head, without waiting for a 100 Continue.
     */
    public static final Set<String> TRANSPORT_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");

    /** {@code POST} with a body, {@code GET} without. */
    public String method() {
        return body == null ? "GET" : "POST";
    }

    /** The same call with one more header set (authentication, a signature). */
    public UpstreamRequest withHeader(String name, String value) {
        Headers copy = new Headers();
        headers.forEach(copy::add);
        copy.set(name, value);
        return new UpstreamRequest(uri, copy, body, timeout, connectTimeout);
    }

    /** The same call with other headers (a signer's result). */
    public UpstreamRequest withHeaders(Headers replaced) {
        return new UpstreamRequest(uri, replaced, body, timeout, connectTimeout);
    }

    /** The same call with its timeout cut to {@code limit} when that is shorter. */
    public UpstreamRequest boundedBy(Duration limit) {
        if (limit == null || limit.compareTo(timeout) >= 0) {
            return this;
        }
        Duration bounded = limit.isNegative() || limit.isZero() ? Duration.ofMillis(1) : limit;
        return new UpstreamRequest(uri, headers, body, bounded, connectTimeout.compareTo(bounded) > 0 ? bounded : connectTimeout);
    }
}
