package io.llmgw.core.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Block;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.Message;
import io.llmgw.core.model.Reasoning;
import io.llmgw.core.model.ResponseFormat;
import io.llmgw.core.model.Role;
import io.llmgw.core.model.ToolChoice;
import io.llmgw.core.model.ToolDefinition;
import io.llmgw.core.protocol.anthropic.AnthropicBlocks;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a Messages API body ({@code /v1/messages} or {@code /count_tokens}) into a canonical
 * request. Unknown fields are ignored, as are fields meaningful only to Anthropic's own servers
 * ({@code cache_control}, {@code context_management}, {@code container}, {@code service_tier}).
 * {@code system}-role messages (Claude Code sends them mid-conversation) are hoisted into the
 * system prompt in order; server tools ({@code web_search_*}, {@code bash_*}…) are dropped because
 * no other upstream can run them.
 */
final class MessagesRequestDecoder {
    private MessagesRequestDecoder() {}

    static CanonicalRequest decode(ObjectNode body) {
        String model = model(body);
        List<Block.Text> system = new ArrayList<>(system(body.get("system")));
        List<Message> messages = messages(body.get("messages"), system);
        JsonNode thinking = body.get("thinking");
        JsonNode outputConfig = body.path("output_config");
        JsonNode toolChoice = body.get("tool_choice");
        return new CanonicalRequest(
                model,
                system,
                messages,
                tools(body.get("tools")),
                toolChoice(toolChoice),
                toolChoice != null && toolChoice.path("disable_parallel_tool_use").asBoolean(false) ? Boolean.FALSE : null,
                positiveInt(body, "max_tokens"),
                number(body, "temperature"),
                number(body, "top_p"),
                body.hasNonNull("top_k") ? positiveInt(body, "top_k") : null,
                stopSequences(body.get("stop_sequences")),
                reasoning(thinking, Json.text(outputConfig, "effort")),
                responseFormat(outputConfig.has("format") ? outputConfig.get("format") : body.get("output_format")),
                body.path("stream").asBoolean(false),
                Json.text(body.path("metadata"), "user_id"));
    }

    static String model(ObjectNode body) {
        JsonNode model = body.get("model");
        if (model == null || model.isNull()) {
            throw invalid("model: Field required");
        }
        if (!model.isTextual() || model.textValue().isBlank()) {
            throw invalid("model: Input should be a non-empty string");
        }
        return model.textValue();
    }

    private static List<Block.Text> system(JsonNode system) {
        if (system == null || system.isNull()) {
            return List.of();
        }
        List<Block.Text> texts = new ArrayList<>();
        for (Block block : AnthropicBlocks.readContent(system, "system")) {
            if (block instanceof Block.Text text && !text.text().isEmpty()) {
                texts.add(text);
            }
        }
        return texts;
    }

    private static List<Message> messages(JsonNode node, List<Block.Text> system) {
        if (node == null || node.isNull()) {
            throw invalid("messages: Field required");
        }
        if (!node.isArray()) {
            throw invalid("messages: Input should be a valid list");
        }
        List<Message> messages = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode message = node.get(i);
            String path = "messages." + i;
            String role = Json.text(message, "role");
            if (role == null) {
                throw invalid(path + ".role: Field required");
            }
            List<Block> content = AnthropicBlocks.readContent(message.get("content"), path + ".content");
            switch (role) {
                case "user" -> messages.add(new Message(Role.USER, content));
                case "assistant" -> messages.add(new Message(Role.ASSISTANT, content));
                case "system" -> content.stream().filter(b -> b instanceof Block.Text t && !t.text().isEmpty())
                        .forEach(b -> system.add((Block.Text) b));
                default -> throw invalid(path + ".role: Input should be 'user' or 'assistant'");
            }
        }
        if (messages.isEmpty()) {
            throw invalid("messages: at least one user or assistant message is required");
        }
        return messages;
    }

    private static List<ToolDefinition> tools(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw invalid("tools: Input should be a valid list");
        }
        List<ToolDefinition> tools = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode tool = node.get(i);
            String type = Json.text(tool, "type");
            if (type != null && !type.equals("custom")) {
                continue;  // a server tool Anthropic would run itself
            }
            String name = Json.text(tool, "name");
            if (name == null || name.isEmpty()) {
                throw invalid("tools." + i + ".name: Field required");
            }
            JsonNode schema = tool.get("input_schema");
            JsonNode strict = tool.get("strict");
            tools.add(new ToolDefinition(name, Json.text(tool, "description"), schema != null && schema.isObject() ? schema : null,
                    strict != null && strict.isBoolean() ? strict.booleanValue() : null, false, null));
        }
        return tools;
    }

    private static ToolChoice toolChoice(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        String type = Json.text(node, "type");
        if (type == null) {
            throw invalid("tool_choice.type: Field required");
        }
        return switch (type) {
            case "auto" -> ToolChoice.AUTO;
            case "any" -> ToolChoice.ANY;
            case "none" -> ToolChoice.NONE;
            case "tool" -> {
                String name = Json.text(node, "name");
                if (name == null) {
                    throw invalid("tool_choice.name: Field required");
                }
                yield ToolChoice.tool(name);
            }
            default -> throw invalid("tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'");
        };
    }

    /**
     * Extended thinking and {@code output_config.effort} become a reasoning effort: adaptive
     * thinking keeps the client's effort (medium when none), a budget maps to an effort by size.
     */
    private static Reasoning reasoning(JsonNode thinking, String effort) {
        String type = Json.text(thinking, "type");
        if ("enabled".equals(type)) {
            JsonNode budget = thinking.get("budget_tokens");
            return new Reasoning(effort, budget != null && budget.canConvertToInt() ? budget.intValue() : null);
        }
        if ("adaptive".equals(type) || effort != null) {
            return new Reasoning(effort, null);
        }
        return null;
    }

    private static ResponseFormat responseFormat(JsonNode format) {
        if (format == null || !format.isObject() || !"json_schema".equals(Json.text(format, "type"))) {
            return null;
        }
        return new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, "response", format.get("schema"), null);
    }

    private static List<String> stopSequences(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw invalid("stop_sequences: Input should be a valid list");
        }
        List<String> stops = new ArrayList<>(node.size());
        node.forEach(s -> {
            if (!s.isTextual()) {
                throw invalid("stop_sequences: Input should be a list of strings");
            }
            stops.add(s.textValue());
        });
        return stops;
    }

    private static Integer positiveInt(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.intValue() < 1) {
            throw invalid(field + ": Input should be a positive integer");
        }
        return value.intValue();
    }

    private static Double number(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw invalid(field + ": Input should be a valid number");
        }
        return value.doubleValue();
    }

    private static RuntimeException invalid(String message) {
        return GatewayError.of(ErrorKind.INVALID_REQUEST, message).exception();
    }
}
