package io.llmgw.core.dialect.openai.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.dialect.DataUrl;
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
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Chat Completions body as a canonical request, for upstreams that do not speak chat
 * (docs/protocol-mapping.md#chat-request, without anything particular to one target): {@code system} and
 * {@code developer} messages are hoisted into the system prompt in order; a run of {@code tool}
 * messages becomes one user message of tool results, followed by the content of the user message
 * after it; messages with nothing in them are left out; a history that starts with the assistant
 * gets a placeholder user turn first. What no translated upstream can honour is refused with a
 * 400 ({@code n > 1}, audio input, files stored at OpenAI, non-function tools); sampling
 * controls only some chat models know ({@code logprobs}, {@code logit_bias}, {@code seed},
 * penalties) are dropped. Unknown fields are ignored. Public for the mock provider, which reads the
 * chat bodies sent to it as a translated upstream would.
 */
public final class ChatRequestDecoder {
    /** Created on first use: a static logger would start the logging back end while the gateway is built (cold start). */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(ChatRequestDecoder.class);
    }
    /** The user turn put before a history that starts with the assistant (most upstreams need a user turn first). */
    static final String PLACEHOLDER_USER_TURN = ".";
    private static final List<String> DROPPED = List.of("logprobs", "top_logprobs", "logit_bias", "seed", "frequency_penalty",
            "presence_penalty");

    private ChatRequestDecoder() {}

    /** @param model the name the client asked for (the body's, or the deployment of an Azure-style path) */
    public static CanonicalRequest decode(ObjectNode body, String model) {
        refuseSeveralChoices(body.get("n"));
        logDropped(body);
        List<Block.Text> system = new ArrayList<>();
        List<Message> messages = messages(body.get("messages"), system);
        List<ToolDefinition> tools = ChatToolsDecoder.tools(body.get("tools"));
        ToolChoice choice = ChatToolsDecoder.toolChoice(body.get("tool_choice"), tools);
        boolean anyTools = !tools.isEmpty();
        return new CanonicalRequest(
                model,
                system,
                messages,
                tools,
                anyTools ? choice : null,
                anyTools ? bool(body, "parallel_tool_calls") : null,
                maxOutputTokens(body),
                number(body, "temperature"),
                number(body, "top_p"),
                null,
                stop(body.get("stop")),
                reasoning(body.get("reasoning_effort")),
                responseFormat(body.get("response_format")),
                body.path("stream").asBoolean(false),
                Json.text(body, "safety_identifier") != null ? Json.text(body, "safety_identifier") : Json.text(body, "user"));
    }

    private static void refuseSeveralChoices(JsonNode n) {
        if (n != null && n.isNumber() && n.intValue() > 1) {
            throw unsupported("This model's upstream returns one choice per request; 'n' must be 1.", "n");
        }
    }

    private static void logDropped(ObjectNode body) {
        if (Log.LOG.isDebugEnabled()) {
            List<String> present = DROPPED.stream().filter(field -> body.hasNonNull(field)).toList();
            if (!present.isEmpty()) {
                Log.LOG.debug("chat request fields {} dropped: the translated upstream has no equivalent", present);
            }
        }
    }

    // ---- messages ---------------------------------------------------------------------------------

    private static List<Message> messages(JsonNode node, List<Block.Text> system) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw invalid("'messages' must be a non-empty array.", "messages");
        }
        List<Message> messages = new ArrayList<>(node.size());
        List<Block> toolResults = null;  // a run of tool messages, waiting for the user message after it
        for (int i = 0; i < node.size(); i++) {
            JsonNode message = node.get(i);
            String path = "messages[" + i + "]";
            if (!message.isObject()) {
                throw invalid("Each message must be an object.", path);
            }
            String role = Json.text(message, "role");
            switch (role == null ? "" : role) {
                case "system", "developer" ->
                        system.addAll(texts(message.get("content"), path + ".content", "System and developer"));
                case "tool" -> {
                    if (toolResults == null) {
                        toolResults = new ArrayList<>();
                    }
                    toolResults.add(toolResult(message, path));
                }
                case "user" -> {
                    List<Block> content = content(message.get("content"), path + ".content");
                    if (toolResults != null) {
                        toolResults.addAll(content);
                        content = toolResults;
                        toolResults = null;
                    }
                    add(messages, Role.USER, content);
                }
                case "assistant" -> {
                    if (toolResults != null) {
                        add(messages, Role.USER, toolResults);
                        toolResults = null;
                    }
                    add(messages, Role.ASSISTANT, assistant(message, path));
                }
                case "function" -> throw invalid("Legacy 'function' messages are not supported; send tool results as 'tool' "
                        + "messages with a 'tool_call_id'.", path + ".role");
                default -> throw invalid("Message role must be one of system, developer, user, assistant or tool.", path + ".role");
            }
        }
        if (toolResults != null) {
            add(messages, Role.USER, toolResults);
        }
        if (messages.isEmpty()) {
            throw invalid("'messages' must contain a user or assistant message with content.", "messages");
        }
        if (messages.get(0).role() == Role.ASSISTANT) {
            messages.add(0, new Message(Role.USER, List.of(new Block.Text(PLACEHOLDER_USER_TURN))));
        }
        return messages;
    }

    private static void add(List<Message> messages, Role role, List<Block> content) {
        if (!content.isEmpty()) {
            messages.add(new Message(role, List.copyOf(content)));
        }
    }

    private static List<Block> assistant(JsonNode message, String path) {
        List<Block> blocks = new ArrayList<>(texts(message.get("content"), path + ".content", "Assistant"));
        String refusal = Json.text(message, "refusal");
        if (refusal != null && !refusal.isBlank()) {
            blocks.add(new Block.Text(refusal));
        }
        JsonNode calls = message.get("tool_calls");
        if (calls != null && !calls.isNull()) {
            if (!calls.isArray()) {
                throw invalid("'tool_calls' must be an array.", path + ".tool_calls");
            }
            for (int i = 0; i < calls.size(); i++) {
                blocks.add(toolCall(calls.get(i), path + ".tool_calls[" + i + "]"));
            }
        }
        return blocks;
    }

    private static Block.ToolCall toolCall(JsonNode call, String path) {
        String type = Json.text(call, "type");
        if (type != null && !type.equals("function")) {
            throw unsupported("Tool call type '" + type + "' cannot be sent to this model's upstream; only function calls can.",
                    path + ".type");
        }
        String id = required(call, "id", path);
        JsonNode function = call.path("function");
        String name = required(function, "name", path + ".function");
        JsonNode arguments = function.get("arguments");
        String argumentsText = arguments == null || arguments.isNull() ? ""
                : arguments.isTextual() ? arguments.textValue() : Json.string(arguments);
        String signature = Json.text(call.path("extra_content").path("google"), "thought_signature");
        return new Block.ToolCall(id, name, argumentsText, false, signature);
    }

    private static Block.ToolResult toolResult(JsonNode message, String path) {
        return new Block.ToolResult(required(message, "tool_call_id", path), content(message.get("content"), path + ".content"),
                false);
    }

    /** Content that may only be text: system, developer and assistant messages. */
    private static List<Block.Text> texts(JsonNode content, String path, String whose) {
        List<Block.Text> texts = new ArrayList<>();
        for (Block block : content(content, path)) {
            if (!(block instanceof Block.Text text)) {
                throw invalid(whose + " messages take text only.", path);
            }
            texts.add(text);
        }
        return texts;
    }

    /** A string or an array of parts; blank text is left out. */
    private static List<Block> content(JsonNode content, String path) {
        List<Block> blocks = new ArrayList<>();
        if (content == null || content.isNull()) {
            return blocks;
        }
        if (content.isTextual()) {
            addText(blocks, content.textValue());
            return blocks;
        }
        if (!content.isArray()) {
            throw invalid("Message content must be a string or an array of content parts.", path);
        }
        for (int i = 0; i < content.size(); i++) {
            part(blocks, content.get(i), path + "[" + i + "]");
        }
        return blocks;
    }

    private static void part(List<Block> blocks, JsonNode part, String path) {
        String type = Json.text(part, "type");
        switch (type == null ? "" : type) {
            case "text" -> addText(blocks, Json.text(part, "text"));
            case "refusal" -> addText(blocks, Json.text(part, "refusal"));
            case "image_url" -> blocks.add(image(part.get("image_url"), path));
            case "file" -> blocks.add(file(part.path("file"), path));
            case "input_audio" -> throw unsupported("Audio input ('input_audio') cannot be sent to this model's upstream; "
                    + "send a transcript as text.", path + ".type");
            default -> throw invalid("Content part type '" + type + "' is not supported; use text, image_url or file.",
                    path + ".type");
        }
    }

    private static void addText(List<Block> blocks, String text) {
        if (text != null && !text.isBlank()) {
            blocks.add(new Block.Text(text));
        }
    }

    /** {@code image_url: {url, detail}} (or, as some clients send it, the URL string itself). */
    private static Block.Image image(JsonNode imageUrl, String path) {
        String url = imageUrl != null && imageUrl.isTextual() ? imageUrl.textValue() : Json.text(imageUrl, "url");
        if (url == null || url.isBlank()) {
            throw invalid("Missing required parameter: '" + path + ".image_url.url'.", path + ".image_url.url");
        }
        String detail = Json.text(imageUrl, "detail");
        DataUrl data = DataUrl.parse(url);
        return data == null ? new Block.Image(null, null, url, detail) : new Block.Image(data.mediaType(), data.base64(), null, detail);
    }

    /** {@code file: {file_data: "data:application/pdf;base64,…", filename}}; files stored at OpenAI cannot travel. */
    private static Block.Document file(JsonNode file, String path) {
        String fileData = Json.text(file, "file_data");
        if (fileData == null) {
            throw unsupported(file.has("file_id")
                    ? "Files stored at OpenAI ('file_id') cannot be read by this model's upstream; send the content in 'file_data'."
                    : "Missing required parameter: '" + path + ".file.file_data'.", path + ".file");
        }
        DataUrl data = DataUrl.parse(fileData);
        String filename = Json.text(file, "filename");
        return data != null ? new Block.Document(data.mediaType(), data.base64(), null, null, null, filename)
                : new Block.Document("application/pdf", fileData, null, null, null, filename);
    }

    // ---- scalar fields ----------------------------------------------------------------------------

    /** {@code max_completion_tokens}, else the older {@code max_tokens}. */
    private static Integer maxOutputTokens(JsonNode body) {
        for (String field : new String[] {"max_completion_tokens", "max_tokens"}) {
            JsonNode value = body.get(field);
            if (value != null && !value.isNull()) {
                if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1) {
                    throw invalid("'" + field + "' must be a positive integer.", field);
                }
                return value.intValue();
            }
        }
        return null;
    }

    static List<String> stop(JsonNode stop) {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        if (stop.isTextual()) {
            return List.of(stop.textValue());
        }
        if (!stop.isArray()) {
            throw invalid("'stop' must be a string or an array of strings.", "stop");
        }
        List<String> sequences = new ArrayList<>(stop.size());
        for (JsonNode sequence : stop) {
            if (!sequence.isTextual()) {
                throw invalid("'stop' must be a string or an array of strings.", "stop");
            }
            sequences.add(sequence.textValue());
        }
        return sequences;
    }

    private static Reasoning reasoning(JsonNode effort) {
        if (effort == null || effort.isNull()) {
            return null;
        }
        if (!effort.isTextual()) {
            throw invalid("'reasoning_effort' must be a string.", "reasoning_effort");
        }
        return new Reasoning(effort.textValue(), null);
    }

    private static ResponseFormat responseFormat(JsonNode format) {
        if (format == null || format.isNull()) {
            return null;
        }
        String type = Json.text(format, "type");
        return switch (type == null ? "" : type) {
            case "text" -> new ResponseFormat(ResponseFormat.Type.TEXT, null, null, null);
            case "json_object" -> new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, null, null, null);
            case "json_schema" -> {
                JsonNode schema = format.get("json_schema");
                if (schema == null || !schema.isObject()) {
                    throw invalid("Missing required parameter: 'response_format.json_schema'.", "response_format.json_schema");
                }
                JsonNode strict = schema.get("strict");
                yield new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, Json.text(schema, "name"), schema.get("schema"),
                        strict != null && strict.isBoolean() ? strict.booleanValue() : null);
            }
            default -> throw invalid("'response_format.type' must be text, json_object or json_schema.", "response_format.type");
        };
    }

    private static Boolean bool(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && value.isBoolean() ? value.booleanValue() : null;
    }

    private static Double number(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw invalid("'" + field + "' must be a number.", field);
        }
        return value.doubleValue();
    }

    static String required(JsonNode node, String field, String path) {
        String value = Json.text(node, field);
        if (value == null || value.isEmpty()) {
            throw GatewayError.of(ErrorKind.INVALID_REQUEST, "Missing required parameter: '" + path + "." + field + "'.",
                    "missing_required_parameter").withParam(path + "." + field).exception();
        }
        return value;
    }

    static RuntimeException invalid(String message, String param) {
        return GatewayError.of(ErrorKind.INVALID_REQUEST, message, "invalid_value").withParam(param).exception();
    }

    static RuntimeException unsupported(String message, String param) {
        return GatewayError.of(ErrorKind.INVALID_REQUEST, message, "unsupported_value").withParam(param).exception();
    }
}
