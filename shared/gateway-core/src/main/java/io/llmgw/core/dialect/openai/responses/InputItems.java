package io.llmgw.core.dialect.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Ids;

/**
 * A request's {@code input} as the items a stored response lists ({@code GET …/input_items}): a string
 * becomes one user message, every item gets an id and a status when it came without, and message
 * content given as a string becomes one text part — the shapes OpenAI's SDKs read back.
 */
final class InputItems {
    private InputItems() {}

    static ArrayNode of(JsonNode input) {
        ArrayNode items = Json.NODES.arrayNode();
        if (input != null && input.isTextual()) {
            items.add(item(Json.object().put("type", "message").put("role", "user").put("content", input.textValue())));
        } else if (input != null && input.isArray()) {
            input.forEach(item -> items.add(item.isObject() ? item((ObjectNode) item.deepCopy()) : item));
        }
        return items;
    }

    private static ObjectNode item(ObjectNode item) {
        String type = Json.text(item, "type");
        if (type == null && item.has("role")) {
            type = "message";
            item.put("type", type);
        }
        String id = Json.text(item, "id");
        if (id == null || id.isEmpty()) {
            // the id first, as OpenAI lists items
            ObjectNode withId = Json.object().put("id", Ids.random(prefix(type)));
            item.remove("id");
            withId.setAll(item);
            item = withId;
        }
        if (!item.has("status") && (type == null || !type.equals("reasoning"))) {
            item.put("status", "completed");  // the SDKs require it of listed items
        }
        JsonNode content = item.get("content");
        if ("message".equals(type) && content != null && content.isTextual()) {
            boolean assistant = "assistant".equals(Json.text(item, "role"));
            ObjectNode part = Json.object().put("type", assistant ? "output_text" : "input_text").put("text", content.textValue());
            if (assistant) {
                part.putArray("annotations");
            }
            item.putArray("content").add(part);
        }
        return item;
    }

    private static String prefix(String type) {
        return switch (type == null ? "" : type) {
            case "message" -> "msg_";
            case "function_call" -> "fc_";
            case "function_call_output" -> "fco_";
            case "custom_tool_call" -> "ctc_";
            case "custom_tool_call_output" -> "ctco_";
            case "reasoning" -> "rs_";
            default -> "item_";
        };
    }
}
