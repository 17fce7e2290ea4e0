package io.llmgw.core.dialect.openai.responses.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.json.Json;

/**
 * One stored Response: the response object as the client received it (status, model, output items
 * with reasoning and its encrypted content, function calls, usage, instructions, tools), and every
 * input item that produced it — the whole conversation before it, since a continued request's input
 * is stored after {@code previous_response_id} was expanded. So continuing from it is one read, and
 * nothing depends on older responses still being there.
 *
 * @param depth how many responses the conversation has had, this one included (1 for a first turn)
 */
public record StoredResponse(ObjectNode response, ArrayNode input, int depth) {
    /** The version of the JSON below; a record of another version is not read. */
    static final int VERSION = 1;

    public String id() {
        return response.path("id").asText();
    }

    /** The items this response produced, as the next turn's history continues with them. */
    public ArrayNode output() {
        JsonNode output = response.get("output");
        return output instanceof ArrayNode array ? array : Json.NODES.arrayNode();
    }

    /** {@code {"v":1,"response":…,"input":[…],"depth":n,"expires_at":epoch seconds}} */
    ObjectNode toJson(long expiresAtEpochSeconds) {
        ObjectNode json = Json.object();
        json.put("v", VERSION);
        json.set("response", response);
        json.set("input", input);
        json.put("depth", depth);
        json.put("expires_at", expiresAtEpochSeconds);
        return json;
    }

    /** The record in {@code json}, or null when it is not a readable one of this version. */
    static StoredResponse fromJson(JsonNode json) {
        if (json.path("v").asInt() != VERSION || !(json.get("response") instanceof ObjectNode response)
                || !(json.get("input") instanceof ArrayNode input) || !json.path("depth").canConvertToInt()) {
            return null;
        }
        return new StoredResponse(response, input, json.path("depth").asInt());
    }
}
