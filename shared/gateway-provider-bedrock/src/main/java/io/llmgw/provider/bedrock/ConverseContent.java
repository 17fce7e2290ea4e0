package io.llmgw.provider.bedrock;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Block;
import io.llmgw.core.protocol.anthropic.ToolIds;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * User content as Converse content blocks: text, images ({@code {"image":{"format","source":{"bytes"}}}}), documents
 * ({@code {"document":{"format","name","source":{"bytes"}}}}) and tool results. Bedrock takes media inline only (or
 * from S3), so an image or document given by URL is the client's 400, named, rather than a fetch by the gateway;
 * so is a media type Converse has no format for. Document names must be unique within a request and use only
 * letters, digits, single spaces, hyphens, parentheses and brackets: others are replaced.
 */
final class ConverseContent {
    private static final Map<String, String> IMAGE_FORMATS = Map.of(
            "image/png", "png", "image/jpeg", "jpeg", "image/jpg", "jpeg", "image/gif", "gif", "image/webp", "webp");
    private static final Map<String, String> DOCUMENT_FORMATS = Map.of(
            "application/pdf", "pdf", "text/csv", "csv", "application/msword", "doc",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx",
            "application/vnd.ms-excel", "xls", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx",
            "text/html", "html", "text/plain", "txt", "text/markdown", "md");

    private final Set<String> documentNames = new HashSet<>();

    /** Text, images and documents into {@code content}; blank text left out (Bedrock refuses it). */
    void add(ArrayNode content, Block block) {
        switch (block) {
            case Block.Text text when text.text().isBlank() -> { }
            case Block.Text text -> content.addObject().put("text", text.text());
            case Block.Image image -> content.add(image(image));
            case Block.Document document -> content.add(document(document));
            default -> {
                // reasoning and tool calls are the assistant's; tool results are placed by the turn
            }
        }
    }

    ObjectNode toolResult(Block.ToolResult result, boolean withStatus) {
        ObjectNode node = Json.object();
        ObjectNode body = node.putObject("toolResult").put("toolUseId", ToolIds.sanitize(result.toolCallId()));
        ArrayNode parts = body.putArray("content");
        result.content().forEach(part -> add(parts, part));
        if (result.isError() && withStatus) {
            body.put("status", "error");
        }
        return node;
    }

    private static ObjectNode image(Block.Image image) {
        if (image.data() == null) {
            throw unsupported("Amazon Bedrock takes images inline (base64 data or a data: URL), not by URL", "image");
        }
        String format = IMAGE_FORMATS.get(image.mediaType() == null ? "" : image.mediaType().toLowerCase(Locale.ROOT));
        if (format == null) {
            throw unsupported("Amazon Bedrock takes PNG, JPEG, GIF and WebP images, not " + image.mediaType(), "image");
        }
        ObjectNode node = Json.object();
        node.putObject("image").put("format", format).putObject("source").put("bytes", image.data());
        return node;
    }

    private ObjectNode document(Block.Document document) {
        String data;
        String format;
        if (document.data() != null) {
            data = document.data();
            format = DOCUMENT_FORMATS.get(document.mediaType() == null ? "" : document.mediaType().toLowerCase(Locale.ROOT));
            if (format == null) {
                throw unsupported("Amazon Bedrock takes PDF, CSV, DOC(X), XLS(X), HTML, TXT and Markdown documents, not "
                        + document.mediaType(), "document");
            }
        } else if (document.text() != null) {
            data = Base64.getEncoder().encodeToString(document.text().getBytes(StandardCharsets.UTF_8));
            format = "txt";
        } else {
            throw unsupported("Amazon Bedrock takes documents inline (base64 data or text), not by URL", "document");
        }
        ObjectNode node = Json.object();
        node.putObject("document").put("format", format).put("name", name(document))
                .putObject("source").put("bytes", data);
        return node;
    }

    private String name(Block.Document document) {
        String given = document.title() != null ? document.title() : document.filename();
        String base = given == null ? "" : given.replaceAll("[^A-Za-z0-9\\-()\\[\\] ]", " ").replaceAll("\\s+", " ").trim();
        base = base.isEmpty() ? "document" : base.substring(0, Math.min(base.length(), 180));
        String name = base;
        for (int n = 2; !documentNames.add(name); n++) {
            name = base + " (" + n + ")";
        }
        return name;
    }

    private static RuntimeException unsupported(String message, String kind) {
        return GatewayError.of(ErrorKind.INVALID_REQUEST, message + "; send the " + kind + " as data.", "unsupported_content")
                .exception();
    }
}
