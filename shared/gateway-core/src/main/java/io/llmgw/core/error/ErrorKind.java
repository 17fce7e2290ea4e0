package io.llmgw.core.error;

/**
 * The closed set of failure classes. Every failure, whether the gateway's own or an upstream's,
 * is one of these; client dialects render them, and the retry policy decides from them alone.
 */
public enum ErrorKind {
    INVALID_REQUEST(400, false),
    CONTEXT_LENGTH(400, false),
    AUTHENTICATION(401, false),
    CREDENTIAL(401, true),          // the gateway's upstream credential was refused
    PERMISSION(403, false),
    NOT_FOUND(404, false),
    METHOD_NOT_ALLOWED(405, false),
    REQUEST_TOO_LARGE(413, false),
    UNSUPPORTED_MEDIA_TYPE(415, false),
    RATE_LIMIT(429, true),
    QUOTA(429, true),
    UPSTREAM_ERROR(500, true),       // upstream 5xx: transient
    CONNECTION(502, true),           // refused, reset, DNS, TLS
    OVERLOADED(503, true),
    TIMEOUT(504, true),
    INTERNAL(500, false);

    private final int defaultStatus;
    private final boolean retryable;

    ErrorKind(int defaultStatus, boolean retryable) {
        this.defaultStatus = defaultStatus;
        this.retryable = retryable;
    }

    public int defaultStatus() {
        return defaultStatus;
    }

    /** Whether another attempt (same or other deployment) may succeed. */
    public boolean retryable() {
        return retryable;
    }
}
