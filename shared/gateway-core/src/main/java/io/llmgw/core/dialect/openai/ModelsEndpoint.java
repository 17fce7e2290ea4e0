package io.llmgw.core.dialect.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.json.Json;
import java.util.List;

/** {@code GET /v1/models} in OpenAI's list shape. */
public final class ModelsEndpoint {
    private ModelsEndpoint() {}

    public static byte[] list(List<String> names, long createdEpochSeconds) {
        ObjectNode body = Json.object();
        body.put("object", "list");
        ArrayNode data = body.putArray("data");
        for (String name : names) {
            ObjectNode model = data.addObject();
            model.put("id", name);
            model.put("object", "model");
            model.put("created", createdEpochSeconds);
            model.put("owned_by", "llm-gateway");
        }
        return Json.bytes(body);
    }
}
