package io.llmgw.lambda.runtime;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.json.Json;
import java.util.List;

/**
 * The error document the Runtime API's error endpoints take, {@code {"errorMessage","errorType","stackTrace"}}.
 * Stack traces stay out of it: messages are written for the operator, and a trace could carry
 * request data into the Lambda console.
 */
public record ErrorReport(String errorType, String errorMessage, List<String> stackTrace) {
    public static ErrorReport of(String type, String message) {
        return new ErrorReport(type, message == null ? type : message, List.of());
    }

    public byte[] json() {
        ObjectNode node = Json.object();
        node.put("errorMessage", errorMessage);
        node.put("errorType", errorType);
        ArrayNode trace = node.putArray("stackTrace");
        stackTrace.forEach(trace::add);
        return Json.bytes(node);
    }

    /** The variant Node's and Go's runtimes put, base64-encoded, in the mid-stream error trailer. */
    public byte[] trailerJson() {
        ObjectNode node = Json.object();
        node.put("errorType", errorType);
        node.put("errorMessage", errorMessage);
        ArrayNode trace = node.putArray("trace");
        stackTrace.forEach(trace::add);
        return Json.bytes(node);
    }
}
