package io.llmgw.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.Headers;
import io.llmgw.core.json.Json;
import io.llmgw.core.protocol.UpstreamErrors;
import java.io.IOException;
import java.util.Locale;

/**
 * Bedrock's errors in the gateway's failure classes, from an error response ({@code x-amzn-errortype} and a
 * {@code {"message"}} body) and from an exception frame in a ConverseStream ({@code :exception-type}). Throttling
 * is a rate limit, retried with backoff; a validation error about length is the context window (the attempt
 * loop moves to a larger one); a model not ready or a service unavailable is an overload; access denied with
 * the gateway's credentials is the gateway's problem (a 502), with the caller's own key the caller's (a 403).
 */
final class BedrockErrors {
    private BedrockErrors() {}

    /** An error response; see {@link UpstreamErrors#fromResponse} for what is kept and what changes. */
    static GatewayError fromResponse(int status, Headers headers, byte[] body, boolean gatewayKey) {
        JsonNode json = parse(body);
        String type = errorType(headers.first("x-amzn-errortype"), json);
        String message = message(json);
        ErrorKind kind = kind(type, message, status, gatewayKey);
        GatewayError error = UpstreamErrors.fromResponse(status, kind, message, null, null, headers, gatewayKey);
        // Bedrock answers a loading model with 429, a spent quota with 400, a refused token with 403, a model's timeout
        // with 408 and a failed model with 424: clients know 503, 429, 401, 504 and 502 for those.
        return switch (error.kind()) {
            case OVERLOADED -> error.withStatus(503);
            case QUOTA -> error.withStatus(429);
            case AUTHENTICATION -> error.withStatus(401);
            case TIMEOUT -> error.withStatus(504);
            case UPSTREAM_ERROR -> status < 500 ? error.withStatus(502) : error;
            default -> error;
        };
    }

    /** An exception frame ({@code exception:<type>} with a JSON payload) or an error frame of the stream. */
    static GatewayError fromFrame(String type, byte[] payload) {
        String message = message(parse(payload));
        ErrorKind kind = kind(type, message, 500, false);
        return GatewayError.of(kind, message == null ? "Amazon Bedrock reported " + type + "." : message);
    }

    /**
     * The class of an error {@code type} (case-insensitive: responses say {@code ThrottlingException}, stream frames
     * {@code throttlingException}); an unknown type is classed by its status.
     */
    static ErrorKind kind(String type, String message, int status, boolean gatewayKey) {
        String text = message == null ? "" : message.toLowerCase(Locale.ROOT);
        return switch (type == null ? "" : type.toLowerCase(Locale.ROOT)) {
            case "throttlingexception" -> ErrorKind.RATE_LIMIT;
            case "servicequotaexceededexception" -> ErrorKind.QUOTA;
            case "modelnotreadyexception", "serviceunavailableexception" -> ErrorKind.OVERLOADED;
            case "validationexception" -> tooLong(text) ? ErrorKind.CONTEXT_LENGTH : ErrorKind.INVALID_REQUEST;
            case "accessdeniedexception" -> gatewayKey ? ErrorKind.AUTHENTICATION : ErrorKind.PERMISSION;
            case "unrecognizedclientexception", "invalidsignatureexception", "expiredtokenexception",
                 "incompletesignatureexception", "missingauthenticationtokenexception" -> ErrorKind.AUTHENTICATION;
            case "resourcenotfoundexception" -> ErrorKind.NOT_FOUND;
            case "modeltimeoutexception" -> ErrorKind.TIMEOUT;
            case "internalserverexception", "modelerrorexception", "modelstreamerrorexception" -> ErrorKind.UPSTREAM_ERROR;
            default -> UpstreamErrors.kindOf(status);
        };
    }

    /**
     * Bedrock says an input overflows the model in several ways: "Input is too long for requested model", "prompt
     * is too long: … tokens > … maximum", "input length and `max_tokens` exceed context limit", "too many input tokens".
     */
    private static boolean tooLong(String text) {
        return text.contains("too long") || text.contains("too many input tokens") || text.contains("context limit")
                || text.contains("context length") || text.contains("context window");
    }

    /** {@code ThrottlingException:http://internal.amazon.com/coral/…}, else the body's {@code __type} ({@code …#ThrottlingException}). */
    private static String errorType(String header, JsonNode body) {
        String type = header != null ? header : Json.text(body, "__type");
        if (type == null) {
            return null;
        }
        int colon = type.indexOf(':');
        type = colon >= 0 ? type.substring(0, colon) : type;
        return type.substring(type.lastIndexOf('#') + 1).trim();
    }

    private static String message(JsonNode body) {
        String message = Json.text(body, "message");
        return message != null ? message : Json.text(body, "Message");
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode node = Json.parse(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
