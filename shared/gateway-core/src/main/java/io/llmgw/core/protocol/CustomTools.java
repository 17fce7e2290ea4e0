package io.llmgw.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.ToolDefinition;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Custom (free-form) tools — Responses {@code custom} tools such as Codex's {@code apply_patch} —
 * for upstreams that only take JSON-schema tools: a function with one string argument
 * {@code input}, the grammar in its description; a call's raw input travels as {@code {"input": …}}.
 */
public final class CustomTools {
    private CustomTools() {}

    /** The names of the request's custom tools, to recognise their calls in an answer. */
    public static Set<String> names(CanonicalRequest request) {
        return request.tools().stream().filter(ToolDefinition::custom).map(ToolDefinition::name).collect(Collectors.toSet());
    }

    /** A custom tool's raw input as the arguments of a function call. */
    public static String arguments(String rawInput) {
        return Json.string(Json.object().put("input", rawInput == null ? "" : rawInput));
    }

    /** The schema standing in for a custom tool. */
    public static JsonNode schema() {
        ObjectNode schema = Json.object().put("type", "object");
        schema.putObject("properties").putObject("input").put("type", "string")
                .put("description", "The raw input for this tool, exactly as the tool expects it.");
        schema.putArray("required").add("input");
        return schema;
    }

    /** The tool's description, followed by its grammar when it has one. */
    public static String description(ToolDefinition tool) {
        StringBuilder description = new StringBuilder(tool.description() == null ? "" : tool.description());
        JsonNode format = tool.format();
        if (format != null && "grammar".equals(Json.text(format, "type"))) {
            description.append(description.isEmpty() ? "" : "\n\n")
                    .append("The input must follow this ").append(Json.text(format, "syntax") == null ? "" : Json.text(format, "syntax") + " ")
                    .append("grammar:\n").append(Json.text(format, "definition"));
        }
        return description.toString();
    }
}
