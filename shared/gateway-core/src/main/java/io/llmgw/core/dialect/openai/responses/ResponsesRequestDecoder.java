package io.llmgw.core.dialect.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.Reasoning;
import io.llmgw.core.model.ResponseFormat;
import io.llmgw.core.model.ToolChoice;
import io.llmgw.core.model.ToolDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A Responses request body as a canonical request (docs/protocol-mapping.md#responses-request), for upstreams that speak
 * chat completions, once {@link ResponsesHistory} has expanded {@code previous_response_id}. Other
 * server-side state ({@code conversation}, {@code background}) is refused. Hosted tools are left out (the
 * caller logs them) unless {@code tool_choice} forces one. Fields with no chat equivalent
 * ({@code store}, {@code include}, {@code truncation}, {@code prompt_cache_key},
 * {@code reasoning.summary}, {@code text.verbosity}, {@code metadata}…) only shape the echoed
 * response object.
 */
final class ResponsesRequestDecoder {
    /**
     * @param tools        the client's tool definitions that reached the upstream, for the response object
     * @param droppedTools types of the hosted tools left out
     * @param droppedItems types of the input items left out
     */
    record Decoded(CanonicalRequest request, ArrayNode tools, List<String> droppedTools, List<String> droppedItems) {}

    private ResponsesRequestDecoder() {}

    static Decoded decode(ObjectNode body, String model) {
        refuseServerState(body);
        ResponsesInput.Conversation conversation = ResponsesInput.read(body.get("instructions"), body.get("input"));

        List<JsonNode> toolNodes = new ArrayList<>();
        List<ToolDefinition> tools = new ArrayList<>();
        List<String> droppedTools = new ArrayList<>();
        JsonNode toolsNode = body.path("tools");
        for (int i = 0; i < toolsNode.size(); i++) {
            JsonNode tool = toolsNode.get(i);
            ToolDefinition definition = tool(tool, "tools[" + i + "]");
            if (definition == null) {
                droppedTools.add(Json.text(tool, "type") == null ? "(untyped)" : Json.text(tool, "type"));
            } else {
                tools.add(definition);
                toolNodes.add(tool);
            }
        }
        ToolChoice choice = toolChoice(body.get("tool_choice"), tools, droppedTools);
        boolean anyTools = !tools.isEmpty();
        Set<String> offered = new HashSet<>();
        tools.forEach(t -> offered.add(t.name()));
        ArrayNode keptTools = Json.NODES.arrayNode();
        toolNodes.stream().filter(t -> offered.contains(Json.text(t, "name"))).forEach(keptTools::add);

        CanonicalRequest request = new CanonicalRequest(
                model,
                conversation.system(),
                conversation.messages(),
                tools,
                anyTools ? choice : null,
                anyTools ? bool(body, "parallel_tool_calls") : null,
                integer(body, "max_output_tokens"),
                number(body, "temperature"),
                number(body, "top_p"),
                null,
                null,
                reasoning(body.get("reasoning")),
                format(body.path("text").get("format")),
                body.path("stream").asBoolean(false),
                Json.text(body, "safety_identifier") != null ? Json.text(body, "safety_identifier") : Json.text(body, "user"));
        return new Decoded(request, keptTools, droppedTools, conversation.droppedItems());
    }

    private static void refuseServerState(ObjectNode body) {
        if (present(body, "conversation")) {
            throw ResponsesInput.invalid("This gateway keeps no Conversations objects; continue with 'previous_response_id', or "
                    + "send the whole conversation in 'input'.", "conversation").exception();
        }
        if (body.path("background").asBoolean(false)) {
            throw ResponsesInput.invalid("Background responses need a server that runs them after the request ends, which this "
                    + "gateway does not; leave 'background' unset and stream instead.", "background").exception();
        }
    }

    /** A function or custom tool; null for hosted tools, which chat upstreams cannot run. */
    private static ToolDefinition tool(JsonNode tool, String path) {
        String type = Json.text(tool, "type");
        if (!"function".equals(type) && !"custom".equals(type)) {
            return null;
        }
        String name = Json.text(tool, "name");
        if (name == null || name.isEmpty()) {
            throw ResponsesInput.invalid("Missing required parameter: '" + path + ".name'.", path + ".name").exception();
        }
        String description = Json.text(tool, "description");
        if (type.equals("custom")) {
            JsonNode format = tool.get("format");
            return new ToolDefinition(name, description, null, null, true, format != null && format.isObject() ? format : null);
        }
        JsonNode parameters = tool.get("parameters");
        // Responses treats an omitted strict as strict; chat upstreams get strict only when the
        // client said so, since most client schemas are not strict-compliant.
        JsonNode strict = tool.get("strict");
        return new ToolDefinition(name, description, parameters != null && parameters.isObject() ? parameters : null,
                strict != null && strict.isBoolean() ? strict.booleanValue() : null, false, null);
    }

    private static ToolChoice toolChoice(JsonNode choice, List<ToolDefinition> tools, List<String> droppedTools) {
        if (choice == null || choice.isNull()) {
            return null;
        }
        ToolChoice result;
        if (choice.isTextual()) {
            result = switch (choice.textValue()) {
                case "none" -> ToolChoice.NONE;
                case "required" -> ToolChoice.ANY;
                default -> ToolChoice.AUTO;
            };
        } else {
            String type = Json.text(choice, "type");
            result = switch (type == null ? "" : type) {
                case "function", "custom" -> ToolChoice.tool(Json.text(choice, "name"));
                case "allowed_tools" -> allowedTools(choice, tools);
                default -> throw ResponsesInput.invalid("'tool_choice' forces the hosted tool '" + type + "', which this "
                        + "model's upstream cannot run.", "tool_choice").exception();
            };
        }
        if (result.mode() == ToolChoice.Mode.ANY && tools.isEmpty() && !droppedTools.isEmpty()) {
            throw ResponsesInput.invalid("'tool_choice' requires a tool call, but the only tools given are hosted tools ("
                    + String.join(", ", droppedTools) + ") this model's upstream cannot run.", "tool_choice").exception();
        }
        return result;
    }

    /** Chat has no allow-list: the tools outside it are not offered at all. */
    private static ToolChoice allowedTools(JsonNode choice, List<ToolDefinition> tools) {
        Set<String> allowed = new HashSet<>();
        choice.path("tools").forEach(t -> {
            if (Json.text(t, "name") != null) {
                allowed.add(Json.text(t, "name"));
            }
        });
        tools.removeIf(t -> !allowed.contains(t.name()));
        return "required".equals(Json.text(choice, "mode")) ? ToolChoice.ANY : ToolChoice.AUTO;
    }

    private static Reasoning reasoning(JsonNode reasoning) {
        String effort = Json.text(reasoning, "effort");
        return effort == null ? null : new Reasoning(effort, null);
    }

    private static ResponseFormat format(JsonNode format) {
        String type = Json.text(format, "type");
        if (type == null) {
            return null;
        }
        return switch (type) {
            case "json_object" -> new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, null, null, null);
            case "json_schema" -> {
                JsonNode strict = format.get("strict");
                yield new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, Json.text(format, "name"), format.get("schema"),
                        strict != null && strict.isBoolean() ? strict.booleanValue() : null);
            }
            default -> null;
        };
    }

    private static boolean present(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && !value.isNull();
    }

    private static Boolean bool(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && value.isBoolean() ? value.booleanValue() : null;
    }

    private static Integer integer(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && value.isNumber() ? value.intValue() : null;
    }

    private static Double number(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && value.isNumber() ? value.doubleValue() : null;
    }
}
