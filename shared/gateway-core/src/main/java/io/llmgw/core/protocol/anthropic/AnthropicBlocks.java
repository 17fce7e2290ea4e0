package io.llmgw.core.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Block;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Anthropic content blocks ↔ canonical {@link Block}s, both ways: a client's blocks are read
 * here, and the same code writes blocks for a response (or, later, for an Anthropic upstream).
 * {@code cache_control}, {@code citations} and other annotations have no canonical counterpart
 * and are dropped; block types executed by Anthropic's own servers (server tool calls and their
 * results) are skipped because no other upstream could continue them.
 */
public final class AnthropicBlocks {
    private AnthropicBlocks() {}

    /** A message's {@code content}: a string or an array of blocks. {@code path} names it in error messages. */
    public static List<Block> readContent(JsonNode content, String path) {
        if (content == null || content.isNull()) {
            throw invalid(path + ": Field required");
        }
        if (content.isTextual()) {
            return List.of(new Block.Text(content.textValue()));
        }
        if (!content.isArray()) {
            throw invalid(path + ": Input should be a valid string or a list of content blocks");
        }
        List<Block> blocks = new ArrayList<>(content.size());
        for (int i = 0; i < content.size(); i++) {
            blocks.addAll(read(content.get(i), path + "." + i));
        }
        return blocks;
    }

    /** One block; most yield one canonical block, a document with inline content yields its parts. */
    public static List<Block> read(JsonNode block, String path) {
        if (block == null || !block.isObject()) {
            throw invalid(path + ": Input should be an object");
        }
        String type = Json.text(block, "type");
        if (type == null) {
            throw invalid(path + ".type: Field required");
        }
        return switch (type) {
            case "text" -> List.of(new Block.Text(requiredText(block, "text", path)));
            case "image" -> List.of(image(block.get("source"), path + ".source"));
            case "document" -> document(block, path);
            case "tool_use" -> List.of(new Block.ToolCall(ToolIds.sanitize(requiredText(block, "id", path)),
                    requiredText(block, "name", path), Json.string(block.hasNonNull("input") ? block.get("input") : Json.object())));
            case "tool_result" -> List.of(toolResult(block, path));
            case "thinking" -> List.of(new Block.Thinking(requiredText(block, "thinking", path), Json.text(block, "signature")));
            case "redacted_thinking" -> List.of(new Block.RedactedThinking(requiredText(block, "data", path)));
            case "search_result" -> List.of(searchResult(block));
            default -> List.of();  // server tool use and results, container uploads, newer types
        };
    }

    private static Block.ToolResult toolResult(JsonNode block, String path) {
        String id = ToolIds.sanitize(requiredText(block, "tool_use_id", path));
        JsonNode content = block.get("content");
        List<Block> parts = content == null || content.isNull() ? List.of() : readContent(content, path + ".content");
        return new Block.ToolResult(id, parts, block.path("is_error").asBoolean(false));
    }

    private static Block.Image image(JsonNode source, String path) {
        String type = source == null ? null : Json.text(source, "type");
        if ("base64".equals(type)) {
            return new Block.Image(requiredText(source, "media_type", path), requiredText(source, "data", path), null, null);
        }
        if ("url".equals(type)) {
            return new Block.Image(null, null, requiredText(source, "url", path), null);
        }
        throw invalid(path + ": image sources must be of type 'base64' or 'url'"
                + (type == null ? "" : "; '" + type + "' is not supported by this gateway"));
    }

    private static List<Block> document(JsonNode block, String path) {
        JsonNode source = block.get("source");
        String title = Json.text(block, "title");
        String type = source == null ? null : Json.text(source, "type");
        if (type == null) {
            throw invalid(path + ".source: Field required");
        }
        return switch (type) {
            case "base64" -> List.of(new Block.Document(requiredText(source, "media_type", path + ".source"),
                    requiredText(source, "data", path + ".source"), null, null, title, null));
            case "text" -> List.of(new Block.Document(mediaType(source, "text/plain"), null, requiredText(source, "data", path + ".source"),
                    null, title, null));
            case "url" -> List.of(new Block.Document(mediaType(source, "application/pdf"), null, null,
                    requiredText(source, "url", path + ".source"), title, null));
            case "content" -> readContent(source.get("content"), path + ".source.content");
            default -> throw invalid(path + ".source: document source type '" + type + "' is not supported by this gateway");
        };
    }

    private static Block.Text searchResult(JsonNode block) {
        StringBuilder text = new StringBuilder();
        String title = Json.text(block, "title");
        String source = Json.text(block, "source");
        if (title != null) {
            text.append(title).append('\n');
        }
        if (source != null) {
            text.append(source).append('\n');
        }
        for (JsonNode part : block.path("content")) {
            String partText = Json.text(part, "text");
            if (partText != null) {
                text.append(partText).append('\n');
            }
        }
        return new Block.Text(text.toString().strip());
    }

    /** A block as Anthropic writes it. Tool-call arguments that are not a JSON object become {@code {}}. */
    public static ObjectNode write(Block block) {
        ObjectNode node = Json.object();
        switch (block) {
            case Block.Text text -> node.put("type", "text").put("text", text.text());
            case Block.Image image -> {
                node.put("type", "image");
                ObjectNode source = node.putObject("source");
                if (image.url() != null) {
                    source.put("type", "url").put("url", image.url());
                } else {
                    source.put("type", "base64").put("media_type", image.mediaType()).put("data", image.data());
                }
            }
            case Block.Document doc -> writeDocument(node, doc);
            case Block.ToolCall call -> {
                node.put("type", "tool_use").put("id", ToolIds.sanitize(call.id())).put("name", call.name());
                node.set("input", input(call.arguments()));
            }
            case Block.ToolResult result -> {
                node.put("type", "tool_result").put("tool_use_id", ToolIds.sanitize(result.toolCallId()));
                ArrayNode content = node.putArray("content");
                result.content().forEach(part -> content.add(write(part)));
                if (result.isError()) {
                    node.put("is_error", true);
                }
            }
            case Block.Thinking thinking -> node.put("type", "thinking").put("thinking", thinking.text())
                    .put("signature", thinking.signature() == null ? "" : thinking.signature());
            case Block.RedactedThinking redacted -> node.put("type", "redacted_thinking").put("data", redacted.data());
        }
        return node;
    }

    private static void writeDocument(ObjectNode node, Block.Document doc) {
        node.put("type", "document");
        ObjectNode source = node.putObject("source");
        if (doc.text() != null) {
            source.put("type", "text").put("media_type", "text/plain").put("data", doc.text());
        } else if (doc.data() != null) {
            source.put("type", "base64").put("media_type", doc.mediaType()).put("data", doc.data());
        } else {
            source.put("type", "url").put("url", doc.url());
        }
        if (doc.title() != null) {
            node.put("title", doc.title());
        }
    }

    /** Tool-call arguments as the {@code input} object; what is not a JSON object (empty, cut off) becomes {@code {}}. */
    public static JsonNode input(String arguments) {
        if (arguments == null || arguments.isBlank()) {
            return Json.object();
        }
        try {
            JsonNode parsed = Json.MAPPER.readTree(arguments);
            return parsed != null && parsed.isObject() ? parsed : Json.object();
        } catch (IOException e) {
            return Json.object();
        }
    }

    private static String mediaType(JsonNode source, String fallback) {
        String type = Json.text(source, "media_type");
        return type != null ? type : fallback;
    }

    private static String requiredText(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw invalid(path + "." + field + ": Field required");
        }
        if (!value.isTextual()) {
            throw invalid(path + "." + field + ": Input should be a valid string");
        }
        return value.textValue();
    }

    static RuntimeException invalid(String message) {
        return GatewayError.of(ErrorKind.INVALID_REQUEST, message).exception();
    }
}
