package io.llmgw.core.protocol.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Block;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.Message;
import io.llmgw.core.model.ResponseFormat;
import io.llmgw.core.model.Role;
import io.llmgw.core.model.ToolChoice;
import io.llmgw.core.model.ToolDefinition;
import io.llmgw.core.protocol.CustomTools;
import io.llmgw.core.protocol.ToolNames;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes a canonical request as a Chat Completions body (docs/protocol-mapping.md#upstream-chat-request): system blocks
 * become one system message; tool results become {@code tool} messages placed before the rest of
 * their user turn (images in them follow as a user message); assistant text and tool calls share
 * one message; thinking is dropped (chat upstreams cannot verify it); custom tools become
 * functions with one string argument {@code input}.
 */
public final class ChatRequestEncoder {
    /** Above this, a limit the model's ceiling is unknown for is left to the upstream's own maximum. */
    static final int UNKNOWN_CEILING_PASSTHROUGH = 16_384;
    private static final int MAX_STOP_SEQUENCES = 4;

    private ChatRequestEncoder() {}

    public static ObjectNode encode(CanonicalRequest request, String upstreamModel, ChatOptions options, ToolNames names) {
        if (!options.acceptsPdf()) {
            refuseFileDocuments(request);
        }
        ObjectNode body = Json.object();
        body.put("model", upstreamModel);
        ArrayNode messages = body.putArray("messages");
        if (!request.system().isEmpty()) {
            ObjectNode system = messages.addObject();
            system.put("role", "system");
            system.put("content", String.join("\n\n", request.system().stream().map(Block.Text::text).toList()));
        }
        for (Message message : request.messages()) {
            if (message.role() == Role.ASSISTANT) {
                addAssistant(messages, message, names);
            } else {
                addUser(messages, message);
            }
        }
        addTools(body, request, names);
        addLimits(body, request, options);
        if (!request.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            request.stop().stream().limit(MAX_STOP_SEQUENCES).forEach(stop::add);
        }
        if (request.reasoning() != null && options.reasoningModel()) {
            body.put("reasoning_effort", options.reasoningEffort(request.reasoning().effectiveEffort()));
        }
        addResponseFormat(body, request.responseFormat());
        if (request.user() != null) {
            body.put("user", request.user().length() > 64 ? request.user().substring(0, 64) : request.user());
        }
        if (request.stream()) {
            body.put("stream", true);
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    /** A server that cannot read files would fail on them or, worse, answer without them: say so before sending. */
    private static void refuseFileDocuments(CanonicalRequest request) {
        for (Message message : request.messages()) {
            for (Block block : message.content()) {
                List<Block> parts = block instanceof Block.ToolResult result ? result.content() : List.of(block);
                for (Block part : parts) {
                    if (part instanceof Block.Document doc && doc.text() == null) {
                        throw GatewayError.of(ErrorKind.INVALID_REQUEST, "The upstream serving model '" + request.model()
                                + "' cannot read " + (doc.mediaType() == null ? "file" : doc.mediaType()) + " documents (only OpenAI and"
                                + " Azure OpenAI upstreams take PDF files); send the document's text instead.", "unsupported_document")
                                .exception();
                    }
                }
            }
        }
    }

    private static void addUser(ArrayNode messages, Message message) {
        List<Block> rest = new ArrayList<>();
        List<Block> toolImages = new ArrayList<>();
        for (Block block : message.content()) {
            if (block instanceof Block.ToolResult result) {
                ObjectNode tool = messages.addObject();
                tool.put("role", "tool");
                tool.put("tool_call_id", result.toolCallId());
                List<String> texts = new ArrayList<>();
                for (Block part : result.content()) {
                    if (part instanceof Block.Text t) {
                        texts.add(t.text());
                    } else if (part instanceof Block.Document d && d.text() != null) {
                        texts.add(d.text());
                    } else {
                        toolImages.add(part);
                    }
                }
                tool.put("content", (result.isError() ? "Error: " : "") + String.join("\n", texts));
            } else {
                rest.add(block);
            }
        }
        if (!toolImages.isEmpty()) {
            List<Block> carried = new ArrayList<>();
            carried.add(new Block.Text("(Attachments returned by the tool call above.)"));
            carried.addAll(toolImages);
            addUserContent(messages, carried);
        }
        if (!rest.isEmpty()) {
            addUserContent(messages, rest);
        }
    }

    private static void addUserContent(ArrayNode messages, List<Block> blocks) {
        ObjectNode user = messages.addObject();
        user.put("role", "user");
        if (blocks.size() == 1 && blocks.get(0) instanceof Block.Text text) {
            user.put("content", text.text());
            return;
        }
        ArrayNode parts = user.putArray("content");
        for (Block block : blocks) {
            switch (block) {
                case Block.Text text -> parts.addObject().put("type", "text").put("text", text.text());
                case Block.Image image -> {
                    ObjectNode url = parts.addObject().put("type", "image_url").putObject("image_url");
                    url.put("url", image.url() != null ? image.url() : "data:" + image.mediaType() + ";base64," + image.data());
                    String detail = image.detail() == null ? null : chatDetail(image.detail());
                    if (detail != null) {
                        url.put("detail", detail);
                    }
                }
                case Block.Document doc -> addDocument(parts, doc);
                default -> {
                    // thinking and tool blocks never appear in a user turn's own content
                }
            }
        }
    }

    private static void addDocument(ArrayNode parts, Block.Document doc) {
        if (doc.text() != null) {
            parts.addObject().put("type", "text").put("text", doc.title() == null ? doc.text() : doc.title() + "\n\n" + doc.text());
            return;
        }
        ObjectNode file = parts.addObject().put("type", "file").putObject("file");
        file.put("filename", doc.filename() != null ? doc.filename() : doc.title() != null ? doc.title() : "document.pdf");
        if (doc.data() != null) {
            file.put("file_data", "data:" + doc.mediaType() + ";base64," + doc.data());
        } else {
            file.put("file_url", doc.url());
        }
    }

    private static void addAssistant(ArrayNode messages, Message message, ToolNames names) {
        StringBuilder text = new StringBuilder();
        ArrayNode calls = Json.NODES.arrayNode();
        for (Block block : message.content()) {
            if (block instanceof Block.Text t && !t.text().isBlank()) {
                text.append(text.isEmpty() ? "" : "\n\n").append(t.text());
            } else if (block instanceof Block.ToolCall call) {
                ObjectNode node = calls.addObject();
                node.put("id", call.id());
                node.put("type", "function");
                String arguments = call.custom() ? CustomTools.arguments(call.arguments()) : emptyToObject(call.arguments());
                node.putObject("function").put("name", names.upstream(call.name())).put("arguments", arguments);
                if (call.signature() != null) {
                    node.putObject("extra_content").putObject("google").put("thought_signature", call.signature());
                }
            }
        }
        if (text.isEmpty() && calls.isEmpty()) {
            return;
        }
        ObjectNode assistant = messages.addObject();
        assistant.put("role", "assistant");
        if (text.isEmpty()) {
            assistant.putNull("content");
        } else {
            assistant.put("content", text.toString());
        }
        if (!calls.isEmpty()) {
            assistant.set("tool_calls", calls);
        }
    }

    private static void addTools(ObjectNode body, CanonicalRequest request, ToolNames names) {
        if (!request.hasTools()) {
            return;
        }
        ArrayNode tools = body.putArray("tools");
        for (ToolDefinition tool : request.tools()) {
            ObjectNode function = tools.addObject().put("type", "function").putObject("function");
            function.put("name", names.upstream(tool.name()));
            String description = tool.description();
            if (tool.custom()) {
                description = CustomTools.description(tool);
            }
            if (description != null) {
                function.put("description", description);
            }
            function.set("parameters", tool.custom() ? CustomTools.schema() : tool.inputSchema() != null ? tool.inputSchema()
                    : Json.object().put("type", "object").set("properties", Json.object()));
            if (tool.strict() != null) {
                function.put("strict", tool.strict() && !tool.custom());
            }
        }
        ToolChoice choice = request.toolChoice();
        if (choice != null) {
            switch (choice.mode()) {
                case AUTO -> body.put("tool_choice", "auto");
                case ANY -> body.put("tool_choice", "required");
                case NONE -> body.put("tool_choice", "none");
                case TOOL -> body.putObject("tool_choice").put("type", "function").putObject("function")
                        .put("name", names.upstream(choice.name()));
            }
        }
        if (request.parallelToolCalls() != null) {
            body.put("parallel_tool_calls", request.parallelToolCalls());
        }
    }

    private static void addLimits(ObjectNode body, CanonicalRequest request, ChatOptions options) {
        Integer limit = request.maxOutputTokens();
        if (limit != null) {
            Integer ceiling = options.outputCeiling();
            if (ceiling != null) {
                limit = Math.min(limit, ceiling);
            } else if (limit > UNKNOWN_CEILING_PASSTHROUGH) {
                limit = null;  // unknown model: asking for more than it can produce would be a 400
            }
            if (limit != null) {
                body.put(options.maxCompletionTokens() ? "max_completion_tokens" : "max_tokens", limit);
            }
        }
        if (!options.reasoningModel()) {
            if (request.temperature() != null) {
                body.put("temperature", request.temperature());
            }
            if (request.topP() != null) {
                body.put("top_p", request.topP());
            }
        }
    }

    private static void addResponseFormat(ObjectNode body, ResponseFormat format) {
        if (format == null || format.type() == ResponseFormat.Type.TEXT) {
            return;
        }
        ObjectNode node = body.putObject("response_format");
        if (format.type() == ResponseFormat.Type.JSON_OBJECT) {
            node.put("type", "json_object");
            return;
        }
        node.put("type", "json_schema");
        ObjectNode schema = node.putObject("json_schema");
        schema.put("name", format.name() != null ? format.name() : "response");
        schema.set("schema", format.schema());
        if (format.strict() != null) {
            schema.put("strict", format.strict());
        }
    }

    /**
     * Chat's {@code detail} is auto, low or high; the Responses API's {@code original} (full resolution,
     * which Codex sends) is nearest to high. Any other value is left out (auto) rather than refused upstream.
     */
    static String chatDetail(String detail) {
        return switch (detail) {
            case "auto", "low", "high" -> detail;
            case "original" -> "high";
            default -> null;
        };
    }

    private static String emptyToObject(String arguments) {
        return arguments == null || arguments.isBlank() ? "{}" : arguments;
    }
}
