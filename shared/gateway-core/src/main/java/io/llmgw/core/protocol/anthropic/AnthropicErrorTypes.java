package io.llmgw.core.protocol.anthropic;

import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;

/** Anthropic's error types and the statuses it pairs them with (docs/protocol-mapping.md#errors). */
public final class AnthropicErrorTypes {
    public static final int OVERLOADED_STATUS = 529;

    private AnthropicErrorTypes() {}

    public static String type(ErrorKind kind) {
        return switch (kind) {
            case INVALID_REQUEST, CONTEXT_LENGTH, METHOD_NOT_ALLOWED, UNSUPPORTED_MEDIA_TYPE -> "invalid_request_error";
            case AUTHENTICATION -> "authentication_error";
            case PERMISSION -> "permission_error";
            case NOT_FOUND -> "not_found_error";
            case REQUEST_TOO_LARGE -> "request_too_large";
            case RATE_LIMIT -> "rate_limit_error";
            case QUOTA -> "billing_error";
            case OVERLOADED -> "overloaded_error";
            case TIMEOUT -> "timeout_error";
            case CREDENTIAL, UPSTREAM_ERROR, CONNECTION, INTERNAL -> "api_error";
        };
    }

    /**
     * The status an Anthropic client expects: overload is 529 (SDKs retry it), an exhausted quota
     * is 402 (not a 429 that would be retried in vain); other kinds keep the error's own status.
     */
    public static int status(GatewayError error) {
        return switch (error.kind()) {
            case OVERLOADED -> OVERLOADED_STATUS;
            case QUOTA -> 402;
            case RATE_LIMIT -> 429;
            case TIMEOUT -> 504;
            case CONTEXT_LENGTH -> 400;
            default -> error.status();
        };
    }

    /** The failure class of an Anthropic error type (for reading an Anthropic upstream's errors). */
    public static ErrorKind kind(String type, int status) {
        if (type == null) {
            return null;
        }
        return switch (type) {
            case "invalid_request_error" -> ErrorKind.INVALID_REQUEST;
            case "authentication_error" -> ErrorKind.AUTHENTICATION;
            case "permission_error" -> ErrorKind.PERMISSION;
            case "not_found_error" -> ErrorKind.NOT_FOUND;
            case "request_too_large" -> ErrorKind.REQUEST_TOO_LARGE;
            case "rate_limit_error" -> ErrorKind.RATE_LIMIT;
            case "billing_error" -> ErrorKind.QUOTA;
            case "overloaded_error" -> ErrorKind.OVERLOADED;
            case "timeout_error" -> ErrorKind.TIMEOUT;
            default -> status >= 500 ? ErrorKind.UPSTREAM_ERROR : ErrorKind.INVALID_REQUEST;
        };
    }
}
