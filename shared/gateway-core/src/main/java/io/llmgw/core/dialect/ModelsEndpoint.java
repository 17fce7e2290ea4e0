package io.llmgw.core.dialect;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.GatewayServices;
import io.llmgw.core.json.Json;
import io.llmgw.core.protocol.openai.OpenAiErrors;
import io.llmgw.core.web.Endpoint;
import io.llmgw.core.web.Exchange;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /v1/models}: the configured model names, in OpenAI's list shape, or in Anthropic's
 * when the request carries {@code anthropic-version} (the Anthropic SDKs always send it).
 */
public final class ModelsEndpoint implements Endpoint {
    private final GatewayServices services;

    public ModelsEndpoint(GatewayServices services) {
        this.services = services;
    }

    @Override
    public Set<String> methods() {
        return Set.of("GET");
    }

    @Override
    public String dialect() {
        return "models";
    }

    @Override
    public ErrorFormat errors() {
        return OpenAiErrors.INSTANCE;
    }

    @Override
    public void handle(Exchange exchange) {
        List<String> names = services.router().listedModels();
        boolean anthropic = exchange.request().headers().contains("anthropic-version");
        byte[] body = anthropic ? anthropicList(names, services.startedEpochSeconds()) : openAiList(names, services.startedEpochSeconds());
        exchange.out().sendJson(200, body, null);
    }

    static byte[] openAiList(List<String> names, long created) {
        ObjectNode body = Json.object();
        body.put("object", "list");
        ArrayNode data = body.putArray("data");
        for (String name : names) {
            data.addObject().put("id", name).put("object", "model").put("created", created).put("owned_by", "llm-gateway");
        }
        return Json.bytes(body);
    }

    static byte[] anthropicList(List<String> names, long created) {
        ObjectNode body = Json.object();
        ArrayNode data = body.putArray("data");
        String createdAt = Instant.ofEpochSecond(created).toString();
        for (String name : names) {
            data.addObject().put("type", "model").put("id", name).put("display_name", name).put("created_at", createdAt);
        }
        body.put("has_more", false);
        body.put("first_id", names.isEmpty() ? null : names.get(0));
        body.put("last_id", names.isEmpty() ? null : names.get(names.size() - 1));
        return Json.bytes(body);
    }
}
