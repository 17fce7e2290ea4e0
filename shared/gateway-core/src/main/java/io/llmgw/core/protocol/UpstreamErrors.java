package io.llmgw.core.protocol;

import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.Headers;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** What every upstream error response has in common: its status and its retry hints. */
public final class UpstreamErrors {
    private UpstreamErrors() {}

    /** The failure class an upstream HTTP status stands for, before looking at the body. */
    public static ErrorKind kindOf(int status) {
        return switch (status) {
            case 401 -> ErrorKind.AUTHENTICATION;
            case 402 -> ErrorKind.QUOTA;
            case 403 -> ErrorKind.PERMISSION;
            case 404 -> ErrorKind.NOT_FOUND;
            case 408, 504 -> ErrorKind.TIMEOUT;
            case 413 -> ErrorKind.REQUEST_TOO_LARGE;
            case 429 -> ErrorKind.RATE_LIMIT;
            case 503, 529 -> ErrorKind.OVERLOADED;
            default -> status >= 500 ? ErrorKind.UPSTREAM_ERROR : ErrorKind.INVALID_REQUEST;
        };
    }

    /**
     * The error a client gets for an upstream's error response, once its wire format has been read
     * into a failure class, message, code and param. Kept: the status, the retry hints, the message
     * (keys masked). Changed: the gateway's own credential being refused is a 502 (not the client's
     * fault, and no reason to re-login); 529 is 503 (the status OpenAI clients know; Anthropic's
     * format turns overload back into 529); a status outside 4xx/5xx is a 502.
     *
     * Keys an upstream echoes are masked by the gateway's scrubber on the way out, like everything it sends.
     *
     * @param gatewayKey whether the key sent upstream was the gateway's own (configured) one
     */
    public static GatewayError fromResponse(int status, ErrorKind kind, String message, String code, String param, Headers headers,
                                            boolean gatewayKey) {
        int clientStatus = status;
        if (kind == ErrorKind.AUTHENTICATION && gatewayKey) {
            kind = ErrorKind.CREDENTIAL;
            clientStatus = 502;
            message = "The upstream rejected the gateway's credential" + (message == null ? "." : ": " + message);
            code = "upstream_credential_rejected";
        } else if (status == 529) {
            clientStatus = 503;
        } else if (status < 400 || status > 599) {
            clientStatus = 502;
            kind = ErrorKind.UPSTREAM_ERROR;
        }
        if (message == null || message.isBlank()) {
            message = "The upstream answered HTTP " + status + ".";
        }
        return new GatewayError(kind, clientStatus, message, code, param, retryAfter(headers), passThrough(headers));
    }

    /** {@code retry-after-ms}, else {@code retry-after} in seconds or as an HTTP date; null when absent. */
    public static Duration retryAfter(Headers headers) {
        String millis = headers.first("retry-after-ms");
        if (millis != null) {
            try {
                return Duration.ofMillis(Math.max(0, (long) Double.parseDouble(millis.trim())));
            } catch (NumberFormatException ignored) {
                // fall through to retry-after
            }
        }
        String value = headers.first("retry-after");
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofMillis(Math.max(0, (long) (Double.parseDouble(value.trim()) * 1000)));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (RuntimeException unparsable) {
                return null;
            }
        }
    }

    /** Rate-limit headers worth passing back to the client unchanged. */
    public static Headers passThrough(Headers upstream) {
        Headers kept = new Headers();
        upstream.forEach((name, value) -> {
            if (name.equals("retry-after-ms") || name.startsWith("x-ratelimit-")
                    || name.startsWith("anthropic-ratelimit-") || name.equals("x-should-retry")) {
                kept.add(name, value);
            }
        });
        return kept;
    }
}
