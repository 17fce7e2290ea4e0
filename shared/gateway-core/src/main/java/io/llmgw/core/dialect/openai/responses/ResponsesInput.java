package io.llmgw.core.dialect.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Block;
import io.llmgw.core.model.Message;
import io.llmgw.core.model.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code instructions} and {@code input} (a string, or items — docs/protocol-mapping.md#responses-input) into
 * canonical system blocks and messages. The items are a flat list; runs of assistant-side items
 * (reasoning, assistant messages, calls) become one assistant message and runs of call outputs
 * one user message, which is the shape chat upstreams need (one assistant message carrying all
 * its tool calls, then the tool results); each user message stays its own message. Item ids the client sends back
 * ({@code msg_…}, {@code fc_…}, {@code rs_…}) mean nothing to a translated upstream and are ignored.
 */
final class ResponsesInput {
    /**
     * Items recording hosted-tool activity (or server-side state) that no chat upstream can take;
     * they only appear in histories begun on OpenAI itself, and are left out.
     */
    private static final Set<String> HOSTED_ITEMS = Set.of("web_search_call", "file_search_call", "computer_call",
            "computer_call_output", "code_interpreter_call", "image_generation_call", "local_shell_call",
            "local_shell_call_output", "mcp_call", "mcp_list_tools", "mcp_approval_request", "mcp_approval_response",
            "tool_search_call", "tool_search_output", "compaction", "shell_call", "shell_call_output",
            "apply_patch_call", "apply_patch_call_output");

    /** @param droppedItems types of the items left out, for the log */
    record Conversation(List<Block.Text> system, List<Message> messages, List<String> droppedItems) {}

    private final List<Block.Text> system = new ArrayList<>();
    private final List<Message> messages = new ArrayList<>();
    private final List<String> dropped = new ArrayList<>();
    private Role role;
    private List<Block> blocks = new ArrayList<>();

    private ResponsesInput() {}

    static Conversation read(JsonNode instructions, JsonNode input) {
        ResponsesInput reader = new ResponsesInput();
        if (instructions != null && instructions.isTextual() && !instructions.textValue().isBlank()) {
            reader.system.add(new Block.Text(instructions.textValue()));
        }
        if (input == null || input.isNull()) {
            throw invalid("Missing required parameter: 'input'.", "input").exception();
        }
        if (input.isTextual()) {
            reader.add(Role.USER, new Block.Text(input.textValue()));
        } else if (input.isArray()) {
            for (int i = 0; i < input.size(); i++) {
                reader.item(input.get(i), "input[" + i + "]");
            }
        } else {
            throw invalid("'input' must be a string or an array of items.", "input").exception();
        }
        reader.flush();
        return new Conversation(reader.system, reader.messages, reader.dropped);
    }

    private void item(JsonNode item, String path) {
        if (!item.isObject()) {
            throw invalid("Each input item must be an object.", path).exception();
        }
        String type = Json.text(item, "type");
        if (type == null && item.has("role")) {
            type = "message";
        }
        switch (type == null ? "" : type) {
            case "message" -> message(item, path);
            case "function_call" -> add(Role.ASSISTANT, new Block.ToolCall(callId(item, path), required(item, "name", path),
                    Json.text(item, "arguments"), false, null));
            case "custom_tool_call" -> add(Role.ASSISTANT, new Block.ToolCall(callId(item, path), required(item, "name", path),
                    Json.text(item, "input"), true, null));
            case "function_call_output", "custom_tool_call_output" ->
                    add(Role.USER, new Block.ToolResult(callId(item, path), output(item.get("output"), path + ".output"), false));
            case "reasoning" -> reasoning(item);
            case "item_reference" -> throw invalid("Item references are not resolved by this gateway; send the referenced item "
                    + "itself, or continue from its response with 'previous_response_id'.", path).exception();
            default -> {
                if (type == null) {
                    throw invalid("Input item has no 'type'.", path + ".type").exception();
                }
                // hosted-tool records and item types newer than this gateway: nothing a chat upstream can take
                dropped.add(HOSTED_ITEMS.contains(type) ? type : type + " (unknown)");
            }
        }
    }

    private void message(JsonNode item, String path) {
        String roleName = Json.text(item, "role");
        List<Block> content = content(item.get("content"), path + ".content");
        switch (roleName == null ? "" : roleName) {
            case "user" -> {
                // Its own message: a chat upstream then gets plain string content, which every server takes.
                flush();
                content.forEach(block -> add(Role.USER, block));
            }
            case "assistant" -> content.forEach(block -> add(Role.ASSISTANT, block));
            // Hoisted to the system prompt in order: chat upstreams take one system message, and
            // Codex sends its instructions as developer messages at the start of the input.
            case "system", "developer" -> content.forEach(block -> {
                if (block instanceof Block.Text text) {
                    system.add(text);
                }
            });
            default -> throw invalid("Message role must be user, assistant, system or developer.", path + ".role").exception();
        }
    }

    /** Reasoning is kept in the canonical model (an upstream that can verify it may use it); chat upstreams drop it. */
    private void reasoning(JsonNode item) {
        StringBuilder text = new StringBuilder();
        for (JsonNode part : item.path("summary")) {
            appendParagraph(text, Json.text(part, "text"));
        }
        if (text.isEmpty()) {
            for (JsonNode part : item.path("content")) {
                appendParagraph(text, Json.text(part, "text"));
            }
        }
        String encrypted = Json.text(item, "encrypted_content");
        if (!text.isEmpty() || encrypted != null) {
            add(Role.ASSISTANT, new Block.Thinking(text.toString(), encrypted));
        }
    }

    private static void appendParagraph(StringBuilder text, String paragraph) {
        if (paragraph != null && !paragraph.isEmpty()) {
            text.append(text.isEmpty() ? "" : "\n\n").append(paragraph);
        }
    }

    private static List<Block> output(JsonNode output, String path) {
        if (output == null || output.isNull()) {
            return List.of();
        }
        return output.isTextual() ? List.of(new Block.Text(output.textValue())) : content(output, path);
    }

    /** Message content: a string, or input/output parts. */
    private static List<Block> content(JsonNode content, String path) {
        List<Block> blocks = new ArrayList<>();
        if (content == null || content.isNull()) {
            return blocks;
        }
        if (content.isTextual()) {
            if (!content.textValue().isEmpty()) {
                blocks.add(new Block.Text(content.textValue()));
            }
            return blocks;
        }
        if (!content.isArray()) {
            throw invalid("Content must be a string or an array of parts.", path).exception();
        }
        for (int i = 0; i < content.size(); i++) {
            Block block = ContentParts.read(content.get(i), path + "[" + i + "]");
            if (block != null) {
                blocks.add(block);
            }
        }
        return blocks;
    }

    private void add(Role next, Block block) {
        if (role != next) {
            flush();
            role = next;
        }
        blocks.add(block);
    }

    private void flush() {
        if (role != null && !blocks.isEmpty()) {
            messages.add(new Message(role, List.copyOf(blocks)));
        }
        blocks = new ArrayList<>();
        role = null;
    }

    private static String callId(JsonNode item, String path) {
        return required(item, "call_id", path);
    }

    private static String required(JsonNode item, String field, String path) {
        String value = Json.text(item, field);
        if (value == null || value.isEmpty()) {
            throw invalid("Missing required parameter: '" + path + "." + field + "'.", path + "." + field).exception();
        }
        return value;
    }

    static GatewayError invalid(String message, String param) {
        return GatewayError.of(ErrorKind.INVALID_REQUEST, message, "invalid_value").withParam(param);
    }
}
