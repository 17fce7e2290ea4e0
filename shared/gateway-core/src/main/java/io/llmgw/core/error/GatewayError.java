package io.llmgw.core.error;

import io.llmgw.core.http.Headers;
import java.time.Duration;

/**
 * A failure as the client will see it, independent of dialect.
 *
 * @param status     HTTP status to answer with (before a stream starts)
 * @param code       a machine code such as {@code model_not_found} or the upstream's own, or null
 * @param param      the offending request field, or null
 * @param retryAfter how long the client should wait, when known
 * @param upstreamHeaders rate-limit headers to pass back to the client (retry-after-ms, x-ratelimit-*)
 */
public record GatewayError(
        ErrorKind kind, int status, String message, String code, String param, Duration retryAfter,
        Headers upstreamHeaders) {

    public GatewayError {
        upstreamHeaders = upstreamHeaders == null ? new Headers() : upstreamHeaders;
    }

    public static GatewayError of(ErrorKind kind, String message) {
        return new GatewayError(kind, kind.defaultStatus(), message, null, null, null, null);
    }

    public static GatewayError of(ErrorKind kind, String message, String code) {
        return new GatewayError(kind, kind.defaultStatus(), message, code, null, null, null);
    }

    public GatewayError withParam(String newParam) {
        return new GatewayError(kind, status, message, code, newParam, retryAfter, upstreamHeaders);
    }

    public GatewayError withStatus(int newStatus) {
        return new GatewayError(kind, newStatus, message, code, param, retryAfter, upstreamHeaders);
    }

    public GatewayException exception() {
        return new GatewayException(this);
    }
}
