package io.llmgw.core.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Function definitions rendered the way OpenAI models see them: a TypeScript-like
 * {@code namespace functions} in the system prompt. This is the format the token-counting
 * libraries that match OpenAI's reported {@code prompt_tokens} reproduce (hmarr/openai-chat-tokens),
 * extended to {@code anyOf}/{@code oneOf} and type unions, which Claude Code's schemas use.
 */
final class ToolSchemaText {
    /** What the namespace costs beyond its text (openai-chat-tokens' measured constant). */
    static final int OVERHEAD_TOKENS = 9;

    /** One function as the upstream receives it. */
    record Function(String name, String description, JsonNode parameters) {}

    private ToolSchemaText() {}

    static String render(List<Function> functions) {
        List<String> lines = new ArrayList<>();
        lines.add("namespace functions {");
        lines.add("");
        for (Function f : functions) {
            if (f.description() != null && !f.description().isEmpty()) {
                lines.add("// " + f.description());
            }
            JsonNode parameters = f.parameters();
            if (parameters != null && parameters.path("properties").size() > 0) {
                lines.add("type " + f.name() + " = (_: {");
                lines.add(properties(parameters, 0));
                lines.add("}) => any;");
            } else {
                lines.add("type " + f.name() + " = () => any;");
            }
            lines.add("");
        }
        lines.add("} // namespace functions");
        return String.join("\n", lines);
    }

    private static String properties(JsonNode object, int indent) {
        List<String> lines = new ArrayList<>();
        JsonNode required = object.path("required");
        object.path("properties").fields().forEachRemaining(entry -> {
            JsonNode param = entry.getValue();
            String description = Json.text(param, "description");
            if (description != null && indent < 2) {
                lines.add("// " + description);
            }
            boolean isRequired = false;
            for (JsonNode r : required) {
                isRequired |= entry.getKey().equals(r.asText());
            }
            lines.add(entry.getKey() + (isRequired ? ": " : "?: ") + type(param, indent) + ",");
        });
        String pad = " ".repeat(indent);
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(out.isEmpty() ? "" : "\n").append(pad).append(line);
        }
        return out.toString();
    }

    private static String type(JsonNode param, int indent) {
        JsonNode union = param.has("anyOf") ? param.get("anyOf") : param.get("oneOf");
        if (union != null && union.isArray()) {
            List<String> types = new ArrayList<>();
            union.forEach(option -> types.add(type(option, indent)));
            return String.join(" | ", types);
        }
        JsonNode typeNode = param.get("type");
        if (typeNode != null && typeNode.isArray()) {
            List<String> types = new ArrayList<>();
            typeNode.forEach(t -> types.add(named(t.asText(), param, indent)));
            return String.join(" | ", types);
        }
        if (typeNode == null && param.has("enum")) {
            return literals(param.get("enum"));
        }
        return named(typeNode == null ? "" : typeNode.asText(), param, indent);
    }

    private static String named(String type, JsonNode param, int indent) {
        return switch (type) {
            case "string", "number", "integer" -> param.has("enum") ? literals(param.get("enum"))
                    : type.equals("string") ? "string" : "number";
            case "boolean" -> "boolean";
            case "null" -> "null";
            case "object" -> "{\n" + properties(param, indent + 2) + "\n}";
            case "array" -> param.has("items") ? type(param.get("items"), indent) + "[]" : "any[]";
            default -> "";
        };
    }

    private static String literals(JsonNode values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add(v.isTextual() ? "\"" + v.textValue() + "\"" : Json.string(v)));
        return String.join(" | ", out);
    }
}
