package io.llmgw.core.pipeline;


import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.routing.UpstreamModels;
import io.llmgw.core.web.Endpoint;
import io.llmgw.core.web.Exchange;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /v1/models}: the configured model names, then what the upstreams behind glob routes list
 * themselves ({@link UpstreamModels}), in OpenAI's list shape, or in Anthropic's when the request
 * carries {@code anthropic-version} (the Anthropic SDKs always send it). An upstream's entry keeps
 * what the upstream said about it (creation time, owner, display name; an Anthropic upstream's entry
 * goes to Anthropic clients whole); the configured names carry the gateway's start time, owner
 * {@code llm-gateway} and lifecycle {@code active}, fields the SDKs require.
 */
public final class ModelsEndpoint implements Endpoint {
    private static final String OWNER = "llm-gateway";

    private final GatewayServices services;
    private final UpstreamModels upstreamModels;

    public ModelsEndpoint(GatewayServices services) {
        this.services = services;
        this.upstreamModels = new UpstreamModels(services.config(), services.router(), services.relay(), services.upstreams());
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
    public void handle(Exchange exchange) {
        Map<String, UpstreamModels.Listed> models = new LinkedHashMap<>();
        for (String name : services.router().listedModels()) {
            models.put(name, new UpstreamModels.Listed(name, null, null, null, null));
        }
        for (UpstreamModels.Listed listed : upstreamModels.list(exchange.credential(), exchange.ctx())) {
            models.putIfAbsent(listed.id(), listed);
        }
        List<UpstreamModels.Listed> list = List.copyOf(models.values());
        boolean anthropic = exchange.request().headers().contains("anthropic-version");
        long started = services.startedEpochSeconds();
        exchange.out().sendJson(200, anthropic ? anthropicList(list, started) : openAiList(list, started), null);
    }

    static byte[] openAiList(List<UpstreamModels.Listed> models, long started) {
        ObjectNode body = Json.object();
        body.put("object", "list");
        ArrayNode data = body.putArray("data");
        for (UpstreamModels.Listed model : models) {
            long created = model.created() != null ? model.created() : epochSeconds(model.createdAt(), started);
            data.addObject().put("id", model.id()).put("object", "model").put("created", created)
                    .put("owned_by", model.ownedBy() != null ? model.ownedBy() : OWNER);
        }
        return Json.bytes(body);
    }

    static byte[] anthropicList(List<UpstreamModels.Listed> models, long started) {
        ObjectNode body = Json.object();
        ArrayNode data = body.putArray("data");
        for (UpstreamModels.Listed model : models) {
            String createdAt = model.createdAt() != null && epochSeconds(model.createdAt(), -1) >= 0 ? model.createdAt()
                    : Instant.ofEpochSecond(model.created() != null ? model.created() : started).toString();
            if (model.anthropicEntry() != null) {
                data.add(model.anthropicEntry().deepCopy());  // as Anthropic describes it: capabilities, limits, lifecycle
                continue;
            }
            data.addObject().put("type", "model").put("id", model.id())
                    .put("display_name", model.displayName() != null ? model.displayName() : model.id()).put("created_at", createdAt)
                    .put("lifecycle", "active");  // servable here; the SDKs require the field
        }
        body.put("has_more", false);
        body.put("first_id", models.isEmpty() ? null : models.get(0).id());
        body.put("last_id", models.isEmpty() ? null : models.get(models.size() - 1).id());
        return Json.bytes(body);
    }

    /** An RFC 3339 time (Anthropic's {@code created_at}) in epoch seconds, or {@code fallback} when there is none. */
    private static long epochSeconds(String time, long fallback) {
        if (time == null) {
            return fallback;
        }
        try {
            return OffsetDateTime.parse(time).toEpochSecond();
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }
}
