package io.llmgw.core.dialect.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Ids;

/**
 * The response object (docs/protocol-mapping.md#responses-response) around one translated answer: its id, and the request
 * parameters a Responses response echoes, filled with the API's defaults where the client gave
 * none. The same object is sent in {@code response.created}, {@code response.in_progress}, the
 * terminal event and, for non-streamed requests, as the body. {@code model} is the name the
 * client asked for (an Azure deployment name would mean nothing to it); {@code store} says whether
 * the response is being kept, and the terminal event's object whether it was.
 */
final class ResponseEnvelope {
    private static final String[] ECHOED = {"instructions", "max_output_tokens", "parallel_tool_calls", "reasoning",
        "temperature", "text", "tool_choice", "top_p", "truncation", "user", "metadata"};

    private final String id = Ids.random("resp_");
    private final long createdAt = System.currentTimeMillis() / 1000;
    private final String model;
    private final ObjectNode echoed = Json.object();
    /**
     * The tool definitions as the JSON they are echoed as, in ASCII: a stream keeps its envelope to the
     * end, and a coding agent's tools as a tree (Codex CLI's 8.9 KB of them: some 170 map entries and as
     * many strings) cost several times their text (README › Memory per stream in flight).
     */
    private final RawValue tools;
    private final ResponsesHistory.Turn turn;

    /** @param tools the client's tool definitions that reached the upstream */
    ResponseEnvelope(ObjectNode request, String model, ArrayNode tools) {
        this(request, model, tools, null);
    }

    /** @param turn the request's place in a stored conversation, or null when nothing is stored */
    ResponseEnvelope(ObjectNode request, String model, ArrayNode tools, ResponsesHistory.Turn turn) {
        this.model = model;
        this.tools = new RawValue(Json.asciiString(tools));
        this.turn = turn;
        for (String field : ECHOED) {
            JsonNode value = request.get(field);
            if (value != null && !value.isNull()) {
                echoed.set(field, value);
            }
        }
    }

    String id() {
        return id;
    }

    /**
     * The terminal response object is final: it is stored (when the request is stored) before the
     * client sees it, and says in {@code store} whether it was.
     */
    void finished(ObjectNode response) {
        if (turn == null) {
            response.put("store", false);
        } else {
            turn.finished(response);
        }
    }

    /** A new response object with {@code status}; output and usage are set by the caller. */
    ObjectNode render(String status) {
        ObjectNode response = Json.object();
        response.put("id", id);
        response.put("object", "response");
        response.put("created_at", createdAt);
        response.put("status", status);
        response.put("background", false);
        response.putNull("error");
        response.putNull("incomplete_details");
        response.set("instructions", echoed.path("instructions").isTextual() ? echoed.get("instructions") : Json.NODES.nullNode());
        response.set("max_output_tokens", echoed.path("max_output_tokens").isNumber() ? echoed.get("max_output_tokens") : Json.NODES.nullNode());
        response.put("model", model);
        response.putArray("output");
        response.put("parallel_tool_calls", echoed.path("parallel_tool_calls").asBoolean(true));
        if (turn != null && turn.previous() != null) {
            response.put("previous_response_id", turn.previous());
        } else {
            response.putNull("previous_response_id");
        }
        ObjectNode reasoning = response.putObject("reasoning");
        reasoning.set("effort", textOrNull(echoed.path("reasoning").get("effort")));
        reasoning.set("summary", textOrNull(echoed.path("reasoning").get("summary")));
        response.put("store", turn != null && turn.storing());
        response.put("temperature", echoed.path("temperature").asDouble(1.0));
        ObjectNode text = response.putObject("text");
        JsonNode format = echoed.path("text").get("format");
        text.set("format", format != null && format.isObject() ? format : Json.object().put("type", "text"));
        if (echoed.path("text").has("verbosity")) {
            text.set("verbosity", echoed.path("text").get("verbosity"));
        }
        response.set("tool_choice", echoed.has("tool_choice") ? echoed.get("tool_choice") : Json.NODES.textNode("auto"));
        response.putRawValue("tools", tools);
        response.put("top_p", echoed.path("top_p").asDouble(1.0));
        response.put("truncation", echoed.path("truncation").asText("disabled"));
        response.putNull("usage");
        response.set("user", textOrNull(echoed.get("user")));
        response.set("metadata", echoed.path("metadata").isObject() ? echoed.get("metadata") : Json.object());
        return response;
    }

    private static JsonNode textOrNull(JsonNode value) {
        return value != null && value.isTextual() ? value : Json.NODES.nullNode();
    }
}
