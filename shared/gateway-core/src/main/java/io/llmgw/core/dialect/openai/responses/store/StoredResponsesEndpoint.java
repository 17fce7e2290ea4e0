package io.llmgw.core.dialect.openai.responses.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.auth.Identity;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.PathEncoding;
import io.llmgw.core.json.Json;
import io.llmgw.core.web.Endpoint;
import io.llmgw.core.web.Exchange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/responses/{id}}, {@code GET /v1/responses/{id}/input_items} and
 * {@code DELETE /v1/responses/{id}} (and the same under {@code /openai/v1} and {@code /openai}) over
 * the gateway's stored Responses, in OpenAI's shapes. Only the caller who created a response sees it:
 * anyone else gets the same 404 as for an id that never existed, so ids cannot be probed.
 */
public final class StoredResponsesEndpoint implements Endpoint {
    private static final Pattern PRINTABLE_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final int DEFAULT_LIMIT = 20;
    private static final int MAX_LIMIT = 100;

    private final ResponseStore store;
    private final boolean inputItems;

    /** @param inputItems whether this is the {@code /input_items} route */
    public StoredResponsesEndpoint(ResponseStore store, boolean inputItems) {
        this.store = store;
        this.inputItems = inputItems;
    }

    /** The paths, each with a named group {@code id}: {@code …/responses/{id}} or {@code …/responses/{id}/input_items}. */
    public static List<Pattern> paths(boolean inputItems) {
        String tail = inputItems ? "/input_items" : "";
        return List.of("/v1/responses/", "/openai/v1/responses/", "/openai/responses/").stream()
                .map(prefix -> Pattern.compile(Pattern.quote(prefix) + "(?<id>[^/]+)" + Pattern.quote(tail))).toList();
    }

    @Override
    public Set<String> methods() {
        return inputItems ? Set.of("GET") : Set.of("GET", "DELETE");
    }

    @Override
    public String dialect() {
        return "openai-responses";
    }

    @Override
    public void handle(Exchange exchange) {
        String id = exchange.pathParams().get("id");
        Identity identity = exchange.ctx().identity();
        String owner = identity == null ? null : identity.owner();
        if (exchange.request().method().equals("DELETE")) {
            if (!store.delete(owner, id)) {
                throw notFound(id);
            }
            exchange.out().sendJson(200, Json.bytes(Json.object().put("id", id).put("object", "response.deleted").put("deleted", true)),
                    null);
            return;
        }
        if (!(store.find(owner, id) instanceof ResponseStore.Found found)) {
            throw notFound(id);
        }
        byte[] body = inputItems ? Json.bytes(page(found.response().input(), query(exchange.request().rawQuery())))
                : Json.bytes(found.response().response());
        exchange.out().sendJson(200, body, null);
    }

    /** OpenAI's list: newest first unless {@code order=asc}, {@code limit} items (1 to 100, 20 by default) after or before an item id. */
    static ObjectNode page(ArrayNode items, Map<String, String> query) {
        List<JsonNode> ordered = new ArrayList<>();
        items.forEach(ordered::add);
        String order = query.getOrDefault("order", "desc");
        if (!order.equals("asc") && !order.equals("desc")) {
            throw invalid("'order' must be asc or desc.", "order");
        }
        if (order.equals("desc")) {
            java.util.Collections.reverse(ordered);
        }
        int limit = limit(query.get("limit"));
        int from = 0;
        int to = ordered.size();
        if (query.containsKey("after")) {
            from = indexOf(ordered, query.get("after"), "after") + 1;
        }
        if (query.containsKey("before")) {
            to = indexOf(ordered, query.get("before"), "before");
        }
        List<JsonNode> window = from < to ? ordered.subList(from, to) : List.of();
        boolean beforeOnly = query.containsKey("before") && !query.containsKey("after");
        // paging backwards (before=…) takes the items nearest the cursor
        List<JsonNode> page = beforeOnly ? window.subList(Math.max(0, window.size() - limit), window.size())
                : window.subList(0, Math.min(limit, window.size()));
        ObjectNode list = Json.object().put("object", "list");
        ArrayNode data = list.putArray("data");
        page.forEach(data::add);
        list.set("first_id", page.isEmpty() ? Json.NODES.nullNode() : page.get(0).get("id"));
        list.set("last_id", page.isEmpty() ? Json.NODES.nullNode() : page.get(page.size() - 1).get("id"));
        list.put("has_more", page.size() < window.size());
        return list;
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw invalid("'limit' must be a whole number from 1 to " + MAX_LIMIT + ".", "limit");
    }

    private static int indexOf(List<JsonNode> items, String id, String param) {
        for (int i = 0; i < items.size(); i++) {
            if (id.equals(Json.text(items.get(i), "id"))) {
                return i;
            }
        }
        throw invalid("'" + param + "' names no input item of this response.", param);
    }

    /** The query's parameters, percent-decoded; a repeated one keeps its first value. */
    static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                params.putIfAbsent(PathEncoding.decode(name.replace('+', ' ')), PathEncoding.decode(value.replace('+', ' ')));
            } catch (IllegalArgumentException malformed) {
                throw invalid("The query has malformed percent-encoding.", null);
            }
        }
        return params;
    }

    private static RuntimeException notFound(String id) {
        // OpenAI's wording; an id that could not be one of ours is not echoed
        String message = id != null && PRINTABLE_ID.matcher(id).matches() ? "Response with id '" + id + "' not found."
                : "Response not found.";
        return GatewayError.of(ErrorKind.NOT_FOUND, message).exception();
    }

    private static RuntimeException invalid(String message, String param) {
        return GatewayError.of(ErrorKind.INVALID_REQUEST, message, "invalid_value").withParam(param).exception();
    }
}
