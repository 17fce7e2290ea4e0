package io.llmgw.core.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.Headers;
import io.llmgw.core.json.Json;
import io.llmgw.core.protocol.UpstreamErrors;
import io.llmgw.core.protocol.UpstreamEvents;
import io.llmgw.core.stream.SseEvent;
import java.io.IOException;
import java.util.Locale;

/**
 * Reads an Anthropic upstream's errors ({@code {"type":"error","error":{"type","message"}}}), as a
 * response body and as an {@code error} event in a stream, into the gateway's failure classes.
 * Shared by the Anthropic provider (translated clients) and the Messages passthrough.
 */
public final class AnthropicUpstreamErrors {
    public static final String ERROR_EVENT = "error";

    private AnthropicUpstreamErrors() {}

    /** An error response; see {@link UpstreamErrors#fromResponse} for what is kept and what changes. */
    public static GatewayError fromUpstream(int status, Headers headers, byte[] body, boolean gatewayKey) {
        JsonNode error = errorObject(body);
        String type = Json.text(error, "type");
        String message = Json.text(error, "message");
        return UpstreamErrors.fromResponse(status, kind(type, message, status), message, null, null, headers, gatewayKey);
    }

    /** An {@code error} event in a stream (after the 200). */
    public static GatewayError fromEvent(JsonNode event) {
        JsonNode error = event.path("error");
        String message = Json.text(error, "message");
        ErrorKind kind = kind(Json.text(error, "type"), message, 500);
        return GatewayError.of(kind, message == null ? "The upstream reported an error." : message);
    }

    /**
     * What makes a stream's first event a plain HTTP error instead of a stream: an event that is not
     * a JSON object, or an {@code error} event (Anthropic can fail right after the 200). Null when
     * the event is content.
     */
    public static GatewayError beforeStream(SseEvent first) {
        AnthropicEventScan scan = new AnthropicEventScan();
        if (!scan.read(first.data())) {
            return UpstreamEvents.malformed();
        }
        String type = first.type(scan.type());
        // the event is read as a tree only when it is an error: content goes on to its first byte without one
        return ERROR_EVENT.equals(type) ? fromEvent(UpstreamEvents.object(first)) : null;
    }

    /** The event's type: its {@code event:} name, else the data's {@code type}. */
    public static String type(SseEvent event, JsonNode data) {
        return event.type(Json.text(data, "type"));
    }

    /**
     * The failure class. Two invalid_request_errors mean more: an overflowing prompt ("prompt is too
     * long", which lets the attempt loop move to a larger context window and OpenAI clients see
     * context_length_exceeded) and an empty credit balance (a quota, not the client's mistake).
     */
    private static ErrorKind kind(String type, String message, int status) {
        ErrorKind kind = AnthropicErrorTypes.kind(type, status);
        if (kind == null) {
            kind = UpstreamErrors.kindOf(status);
        }
        String text = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (kind == ErrorKind.INVALID_REQUEST && text.startsWith("prompt is too long")) {
            return ErrorKind.CONTEXT_LENGTH;
        }
        if (kind == ErrorKind.INVALID_REQUEST && text.contains("credit balance is too low")) {
            return ErrorKind.QUOTA;
        }
        return kind;
    }

    private static JsonNode errorObject(byte[] body) {
        try {
            JsonNode root = Json.parse(body);
            JsonNode error = root == null ? null : root.get("error");
            return error != null && error.isObject() ? error : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
