package io.llmgw.lambda.url;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.Headers;
import io.llmgw.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Function-URL events (payload format 2.0, the same as API Gateway HTTP APIs) into
 * {@link GatewayRequest}s: method and path from {@code requestContext.http} and {@code rawPath},
 * the raw query string, lower-case headers, {@code cookies[]} back into one {@code cookie}
 * header, the body (base64-decoded when {@code isBase64Encoded}), the source IP, and Lambda's
 * request id and deadline.
 */
public final class FunctionUrlEvents {
    private FunctionUrlEvents() {}

    /** The event is not an HTTP event of payload format 2.0. */
    public static final class UnsupportedEventException extends Exception {
        UnsupportedEventException(String message) {
            super(message);
        }
    }

    public static GatewayRequest toRequest(byte[] event, String requestId, Instant deadline) throws UnsupportedEventException {
        JsonNode root;
        try {
            root = Json.parse(event);
        } catch (IOException e) {
            throw new UnsupportedEventException("The event is not JSON; this function serves function-URL (payload 2.0) events.");
        }
        return toRequest(root, requestId, deadline);
    }

    public static GatewayRequest toRequest(JsonNode root, String requestId, Instant deadline) throws UnsupportedEventException {
        JsonNode http = root.path("requestContext").path("http");
        if (!root.isObject() || !http.isObject() || !http.path("method").isTextual()) {
            throw new UnsupportedEventException("The event has no requestContext.http.method; this function serves function-URL "
                    + "and HTTP API (payload 2.0) events, not direct invocations.");
        }
        String path = text(root, "rawPath");
        if (path == null) {
            path = text(http, "path");
        }
        Headers headers = new Headers();
        root.path("headers").properties().forEach(entry -> {
            if (entry.getValue().isValueNode() && !entry.getValue().isNull()) {
                headers.add(entry.getKey(), entry.getValue().asText());  // Headers lower-cases names
            }
        });
        List<String> cookies = new ArrayList<>();
        root.path("cookies").forEach(cookie -> cookies.add(cookie.asText()));
        if (!cookies.isEmpty() && !headers.contains("cookie")) {
            headers.set("cookie", String.join("; ", cookies));
        }
        return new GatewayRequest(http.path("method").asText(), path, emptyToNull(text(root, "rawQueryString")), headers,
                body(root), text(http, "sourceIp"), requestId, deadline);
    }

    /**
     * The body, decoded when the gateway reads it (after authentication): a body that is not valid
     * base64 is the caller's 400, not a failed invocation.
     */
    private static GatewayRequest.BodySource body(JsonNode root) {
        JsonNode body = root.get("body");
        if (body == null || body.isNull()) {
            return limit -> new byte[0];
        }
        String text = body.asText();
        boolean base64 = root.path("isBase64Encoded").asBoolean(false);
        return limit -> {
            byte[] bytes;
            if (base64) {
                try {
                    bytes = Base64.getMimeDecoder().decode(text);
                } catch (IllegalArgumentException e) {
                    throw GatewayError.of(ErrorKind.INVALID_REQUEST, "The request body could not be decoded (invalid base64).",
                            "invalid_body").exception();
                }
            } else {
                bytes = text.getBytes(StandardCharsets.UTF_8);
            }
            return bytes.length > limit ? null : bytes;
        };
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
