package io.llmgw.core.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.error.ErrorFormat;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.Headers;
import io.llmgw.core.json.Json;
import io.llmgw.core.protocol.UpstreamErrors;
import io.llmgw.core.protocol.UpstreamEvents;
import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.stream.SseFrames;
import java.util.Locale;

/**
 * OpenAI's error shape {@code {"error":{"message","type","param","code"}}}: written for Chat and
 * Responses clients, and read from OpenAI, Azure OpenAI and OpenAI-compatible upstreams.
 */
public final class OpenAiErrors implements ErrorFormat {
    public static final OpenAiErrors INSTANCE = new OpenAiErrors();

    private OpenAiErrors() {}

    @Override
    public byte[] body(GatewayError error) {
        return Json.bytes(envelope(error));
    }

    /** Chat streams report a failure as a data event holding an {@code error} object (openai SDKs raise on it). */
    @Override
    public byte[] streamFrame(GatewayError error) {
        return SseFrames.data(body(error));
    }

    public static ObjectNode envelope(GatewayError error) {
        ObjectNode body = Json.object();
        body.set("error", errorObject(error));
        return body;
    }

    public static ObjectNode errorObject(GatewayError error) {
        ObjectNode inner = Json.object();
        inner.put("message", error.message());
        inner.put("type", type(error.kind()));
        inner.put("param", error.param());
        inner.put("code", error.code() != null ? error.code() : defaultCode(error.kind()));
        return inner;
    }

    public static String type(ErrorKind kind) {
        return switch (kind) {
            case AUTHENTICATION, INVALID_REQUEST, CONTEXT_LENGTH, NOT_FOUND, METHOD_NOT_ALLOWED,
                    REQUEST_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE -> "invalid_request_error";
            case PERMISSION -> "permission_error";
            case RATE_LIMIT -> "rate_limit_error";
            case QUOTA -> "insufficient_quota";
            case CREDENTIAL, UPSTREAM_ERROR, CONNECTION, OVERLOADED, TIMEOUT, INTERNAL -> "server_error";
        };
    }

    private static String defaultCode(ErrorKind kind) {
        return switch (kind) {
            case AUTHENTICATION -> "invalid_api_key";
            case CONTEXT_LENGTH -> "context_length_exceeded";
            case RATE_LIMIT -> "rate_limit_exceeded";
            case QUOTA -> "insufficient_quota";
            case REQUEST_TOO_LARGE -> "request_too_large";
            default -> null;
        };
    }

    /**
     * Reads an upstream error response into a {@link GatewayError} ({@link UpstreamErrors#fromResponse}
     * says what is kept and what changes).
     *
     * @param gatewayKey whether the key sent upstream was the gateway's own
     */
    public static GatewayError fromUpstream(int status, Headers headers, byte[] body, boolean gatewayKey) {
        JsonNode error = parseError(body);
        String message = Json.text(error, "message");
        String code = error == null ? null : textOrNumber(error.get("code"));
        String type = Json.text(error, "type");
        String param = Json.text(error, "param");
        ErrorKind kind = UpstreamErrors.kindOf(status);
        String marker = ((code == null ? "" : code) + " " + (type == null ? "" : type)).toLowerCase(Locale.ROOT);
        if (marker.contains("insufficient_quota")) {
            kind = ErrorKind.QUOTA;
        } else if (marker.contains("context_length_exceeded")
                || (status == 400 && message != null && message.contains("maximum context length"))) {
            kind = ErrorKind.CONTEXT_LENGTH;
        }
        return UpstreamErrors.fromResponse(status, kind, message, code, param, headers, gatewayKey);
    }

    /** An {@code error} object found in a stream event. */
    public static GatewayError fromStreamError(JsonNode error) {
        String message = Json.text(error, "message");
        String code = error.has("code") && error.get("code").isValueNode() ? error.get("code").asText() : null;
        String marker = ((code == null ? "" : code) + " " + (Json.text(error, "type") == null ? "" : Json.text(error, "type")))
                .toLowerCase(Locale.ROOT);
        ErrorKind kind = marker.contains("rate_limit") ? ErrorKind.RATE_LIMIT
                : marker.contains("context_length") ? ErrorKind.CONTEXT_LENGTH
                : ErrorKind.UPSTREAM_ERROR;
        return GatewayError.of(kind, message == null ? "The upstream reported an error." : message, code).withStatus(502);
    }

    /**
     * What makes the first event of an OpenAI-family stream a plain HTTP error instead of a stream:
     * an immediate end, an event that is not JSON, or an {@code {"error": …}} object. Null when the
     * event is content.
     */
    public static GatewayError beforeStream(SseEvent first) {
        return beforeStream(first, ChatChunk.forRelay());
    }

    /** {@link #beforeStream(SseEvent)} read with {@code scan}, which then {@linkplain ChatChunk#holds holds} the event's readings. */
    public static GatewayError beforeStream(SseEvent first, ChatChunk scan) {
        if (first.isDone()) {
            return UpstreamEvents.empty();
        }
        // read as the relay reads chunks; a tree only when the event holds an error, so content goes on without one
        if (!scan.read(first.data())) {
            return UpstreamEvents.malformed();
        }
        return scan.hasError() ? inChunk(UpstreamEvents.object(first)) : null;
    }

    /**
     * What fails an OpenAI-family stream at one of its chunks: a chunk that is not a JSON object
     * (null here), or an {@code {"error": …}} object. Null when the chunk is content.
     */
    public static GatewayError inChunk(JsonNode chunk) {
        if (chunk == null) {
            return UpstreamEvents.malformed();
        }
        JsonNode error = chunk.get("error");
        return error != null && !error.isNull() ? fromStreamError(error) : null;
    }

    /** The {@code error} object of an OpenAI-style error body (or of a data event); null when absent. */
    public static JsonNode parseError(byte[] body) {
        try {
            JsonNode root = Json.parse(body);
            JsonNode error = root == null ? null : root.get("error");
            if (error != null && error.isObject()) {
                return error;
            }
            if (error != null && error.isTextual()) {
                ObjectNode wrapped = Json.object();
                wrapped.put("message", error.textValue());
                return wrapped;
            }
            return root != null && root.has("message") ? root : null;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private static String textOrNumber(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return node.isValueNode() ? node.asText() : null;
    }
}
