package io.llmgw.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.json.Json;
import io.llmgw.core.stream.SseEvent;

/** What every reader of an upstream's JSON event stream needs: the event as an object, and the errors for bad streams. */
public final class UpstreamEvents {
    private UpstreamEvents() {}

    /** The event's data as a JSON object, or null when it is not one. */
    public static JsonNode object(SseEvent event) {
        JsonNode node = Json.parseOrNull(event.data());
        return node != null && node.isObject() ? node : null;
    }

    public static GatewayError malformed() {
        return GatewayError.of(ErrorKind.UPSTREAM_ERROR, "The upstream sent a stream event that is not a JSON object.",
                "upstream_malformed_event").withStatus(502);
    }

    /** The stream's first event already ended it. */
    public static GatewayError empty() {
        return GatewayError.of(ErrorKind.UPSTREAM_ERROR, "The upstream ended the stream without any content.",
                "upstream_stream_empty").withStatus(502);
    }

    /** The stream ended (EOF) before the response was complete. */
    public static GatewayError truncated() {
        return GatewayError.of(ErrorKind.CONNECTION, "The upstream stream ended before the response was complete.",
                "upstream_stream_truncated");
    }
}
