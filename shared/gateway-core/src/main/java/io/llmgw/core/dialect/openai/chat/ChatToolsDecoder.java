package io.llmgw.core.dialect.openai.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.ToolChoice;
import io.llmgw.core.model.ToolDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The {@code tools} and {@code tool_choice} of a Chat Completions body, for {@link ChatRequestDecoder}. */
final class ChatToolsDecoder {
    private ChatToolsDecoder() {}

    static List<ToolDefinition> tools(JsonNode node) {
        List<ToolDefinition> tools = new ArrayList<>();
        if (node == null || node.isNull()) {
            return tools;
        }
        if (!node.isArray()) {
            throw ChatRequestDecoder.invalid("'tools' must be an array.", "tools");
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode tool = node.get(i);
            String path = "tools[" + i + "]";
            String type = Json.text(tool, "type");
            if (type != null && !type.equals("function")) {
                throw ChatRequestDecoder.unsupported("Tool type '" + type + "' cannot be offered to this model's upstream; only function tools can.",
                        path + ".type");
            }
            JsonNode function = tool.path("function");
            String name = ChatRequestDecoder.required(function, "name", path + ".function");
            JsonNode parameters = function.get("parameters");
            JsonNode strict = function.get("strict");
            tools.add(new ToolDefinition(name, Json.text(function, "description"),
                    parameters != null && parameters.isObject() ? parameters : null,
                    strict != null && strict.isBoolean() ? strict.booleanValue() : null, false, null));
        }
        return tools;
    }

    static ToolChoice toolChoice(JsonNode choice, List<ToolDefinition> tools) {
        if (choice == null || choice.isNull()) {
            return null;
        }
        if (choice.isTextual()) {
            return switch (choice.textValue()) {
                case "auto" -> ToolChoice.AUTO;
                case "required" -> ToolChoice.ANY;
                case "none" -> ToolChoice.NONE;
                default -> throw ChatRequestDecoder.invalid("'tool_choice' must be none, auto, required or a named function.", "tool_choice");
            };
        }
        String type = Json.text(choice, "type");
        return switch (type == null ? "" : type) {
            case "function" -> ToolChoice.tool(ChatRequestDecoder.required(choice.path("function"), "name", "tool_choice.function"));
            case "allowed_tools" -> allowedTools(choice.path("allowed_tools"), tools);
            default -> throw ChatRequestDecoder.invalid("'tool_choice' must be none, auto, required or a named function.", "tool_choice");
        };
    }

    /** No upstream has an allow-list: the tools outside it are not offered at all. */
    private static ToolChoice allowedTools(JsonNode allowed, List<ToolDefinition> tools) {
        Set<String> names = new HashSet<>();
        allowed.path("tools").forEach(tool -> {
            String name = Json.text(tool.path("function"), "name");
            if (name != null) {
                names.add(name);
            }
        });
        tools.removeIf(tool -> !names.contains(tool.name()));
        return "required".equals(Json.text(allowed, "mode")) ? ToolChoice.ANY : ToolChoice.AUTO;
    }
}
