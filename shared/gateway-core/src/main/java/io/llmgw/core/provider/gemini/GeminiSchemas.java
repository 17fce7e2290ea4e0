package io.llmgw.core.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes a JSON schema acceptable to Gemini, which rejects much of JSON Schema ("Invalid JSON
 * payload received. Unknown name …"): local {@code $ref}s are inlined, then only the keywords
 * Gemini knows are kept (docs/protocol-mapping.md#pitfall-gemini-schemas); {@code const} becomes a one-value {@code enum};
 * {@code type: [x, "null"]} becomes {@code type: x, nullable: true}; {@code format} survives only
 * where Gemini understands it; arrays get {@code items}.
 */
final class GeminiSchemas {
    private static final Set<String> KEPT = Set.of("type", "format", "title", "description", "nullable", "enum", "maxItems",
            "minItems", "properties", "required", "minProperties", "maxProperties", "minLength", "maxLength", "pattern",
            "example", "anyOf", "propertyOrdering", "default", "items", "minimum", "maximum");
    private static final int MAX_DEPTH = 32;

    private GeminiSchemas() {}

    static JsonNode sanitize(JsonNode schema) {
        if (schema == null || !schema.isObject()) {
            return schema;
        }
        JsonNode defs = schema.has("$defs") ? schema.get("$defs") : schema.get("definitions");
        return clean(schema, defs, 0);
    }

    private static JsonNode clean(JsonNode node, JsonNode defs, int depth) {
        if (!node.isObject() || depth > MAX_DEPTH) {
            return node.isObject() ? Json.object().put("type", "object") : node;
        }
        JsonNode resolved = resolve(node, defs);
        ObjectNode out = Json.object();
        Iterator<Map.Entry<String, JsonNode>> fields = resolved.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            switch (key) {
                case "const" -> out.putArray("enum").add(value);
                case "type" -> {
                    if (value.isArray()) {
                        List<String> types = new ArrayList<>();
                        value.forEach(t -> types.add(t.asText()));
                        if (types.remove("null")) {
                            out.put("nullable", true);
                        }
                        out.put("type", types.isEmpty() ? "string" : types.get(0));
                    } else {
                        out.set("type", value);
                    }
                }
                case "properties" -> {
                    ObjectNode properties = out.putObject("properties");
                    value.fields().forEachRemaining(p -> properties.set(p.getKey(), clean(p.getValue(), defs, depth + 1)));
                }
                case "items" -> out.set("items", value.isArray() && !value.isEmpty() ? clean(value.get(0), defs, depth + 1)
                        : clean(value, defs, depth + 1));
                case "anyOf" -> {
                    ArrayNode anyOf = out.putArray("anyOf");
                    value.forEach(v -> anyOf.add(clean(v, defs, depth + 1)));
                }
                case "format" -> {
                    if (value.isTextual() && (value.textValue().equals("enum") || value.textValue().equals("date-time"))) {
                        out.set("format", value);
                    }
                }
                default -> {
                    if (KEPT.contains(key)) {
                        out.set(key, value);
                    }
                }
            }
        }
        if (out.has("enum") && !"string".equals(out.path("type").asText("string"))) {
            out.remove("enum");  // Gemini accepts enum on strings only
        }
        if (out.has("enum") && !out.has("type")) {
            out.put("type", "string");
        }
        if ("array".equals(out.path("type").asText()) && !out.has("items")) {
            out.putObject("items").put("type", "string");
        }
        return out;
    }

    /** Inlines a local {@code $ref} ({@code #/$defs/x} or {@code #/definitions/x}). */
    private static JsonNode resolve(JsonNode node, JsonNode defs) {
        JsonNode ref = node.get("$ref");
        if (ref == null || !ref.isTextual() || defs == null) {
            return node;
        }
        String path = ref.textValue();
        int slash = path.lastIndexOf('/');
        JsonNode target = slash < 0 ? null : defs.get(path.substring(slash + 1));
        return target == null ? Json.object().put("type", "object") : target;
    }
}
