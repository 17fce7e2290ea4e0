package io.llmgw.core.dialect.openai.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Ids;

/**
 * What every object of one translated answer repeats: one {@code chatcmpl-…} id, the creation
 * time in seconds, and the model name the client asked for (an upstream's deployment name means
 * nothing to it).
 */
record ChatEnvelope(String id, long created, String model) {
    static ChatEnvelope mint(String model) {
        return new ChatEnvelope(Ids.random("chatcmpl-"), System.currentTimeMillis() / 1000, model);
    }

    /** {@code {"id","object","created","model"}} in OpenAI's field order, to add the rest to. */
    ObjectNode object(String type) {
        ObjectNode node = Json.object();
        node.put("id", id);
        node.put("object", type);
        node.put("created", created);
        node.put("model", model);
        return node;
    }
}
