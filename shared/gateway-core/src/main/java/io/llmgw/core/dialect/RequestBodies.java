package io.llmgw.core.dialect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.json.Json;
import java.io.IOException;
import java.util.Locale;

/** Reads a client's JSON request body, answering bad input with a 4xx, never echoing the body. */
public final class RequestBodies {
    private RequestBodies() {}

    public static ObjectNode jsonObject(GatewayRequest request) {
        String contentType = request.headers().first("content-type");
        if (contentType != null) {
            String type = contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].trim();
            if (!type.equals("application/json") && !type.endsWith("+json")) {
                throw GatewayError.of(ErrorKind.UNSUPPORTED_MEDIA_TYPE, "Unsupported content type '" + type
                        + "'; send the request body as application/json.", "unsupported_media_type").exception();
            }
        }
        byte[] body = request.body();
        if (body.length == 0) {
            throw GatewayError.of(ErrorKind.INVALID_REQUEST, "The request body is empty; send a JSON object.").exception();
        }
        JsonNode node;
        try {
            node = Json.parseClient(body);
        } catch (JsonProcessingException e) {
            throw GatewayError.of(ErrorKind.INVALID_REQUEST, "The request body is not valid JSON: " + e.getOriginalMessage())
                    .exception();
        } catch (IOException e) {
            throw GatewayError.of(ErrorKind.INVALID_REQUEST, "The request body could not be read as JSON.").exception();
        }
        if (!(node instanceof ObjectNode object)) {
            throw GatewayError.of(ErrorKind.INVALID_REQUEST, "The request body must be a JSON object.").exception();
        }
        return object;
    }

    /** A required string field. */
    public static String requiredText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw GatewayError.of(ErrorKind.INVALID_REQUEST, "Missing required parameter: '" + field + "'.", "missing_required_parameter")
                    .withParam(field).exception();
        }
        if (!value.isTextual() || value.textValue().isBlank()) {
            throw GatewayError.of(ErrorKind.INVALID_REQUEST, "'" + field + "' must be a non-empty string.", "invalid_type")
                    .withParam(field).exception();
        }
        return value.textValue();
    }
}
