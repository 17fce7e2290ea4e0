package io.llmgw.core.dialect.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.dialect.DataUrl;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Block;

/**
 * One content part of a Responses message or call output as a canonical block. Parts that refer
 * to files stored at OpenAI ({@code file_id}) or that no chat upstream takes are refused rather
 * than silently left out of what the user sent.
 */
final class ContentParts {
    private ContentParts() {}

    /** The block for {@code part}, or null for a part with nothing in it (an empty text). */
    static Block read(JsonNode part, String path) {
        String type = Json.text(part, "type");
        switch (type == null ? "" : type) {
            case "input_text", "output_text", "text", "summary_text", "reasoning_text" -> {
                String text = Json.text(part, "text");
                return text == null || text.isEmpty() ? null : new Block.Text(text);
            }
            case "refusal" -> {
                String refusal = Json.text(part, "refusal");
                return refusal == null || refusal.isEmpty() ? null : new Block.Text(refusal);
            }
            case "input_image" -> {
                return image(part, path);
            }
            case "input_file" -> {
                return file(part, path);
            }
            default -> throw ResponsesInput.invalid("Content part type '" + type + "' cannot be sent to this model's upstream; "
                    + "use input_text, input_image or input_file.", path + ".type").exception();
        }
    }

    private static Block image(JsonNode part, String path) {
        String url = Json.text(part, "image_url");
        if (url == null) {
            throw storedFile(path, "image_url");
        }
        DataUrl data = DataUrl.parse(url);
        String detail = Json.text(part, "detail");
        return data == null ? new Block.Image(null, null, url, detail) : new Block.Image(data.mediaType(), data.base64(), null, detail);
    }

    private static Block file(JsonNode part, String path) {
        String filename = Json.text(part, "filename");
        String fileData = Json.text(part, "file_data");
        if (fileData != null) {
            DataUrl data = DataUrl.parse(fileData);
            return data != null ? new Block.Document(data.mediaType(), data.base64(), null, null, null, filename)
                    : new Block.Document("application/pdf", fileData, null, null, null, filename);
        }
        String url = Json.text(part, "file_url");
        if (url == null) {
            throw storedFile(path, "file_data");
        }
        return new Block.Document(null, null, null, url, null, filename);
    }

    private static RuntimeException storedFile(String path, String field) {
        return ResponsesInput.invalid("Files stored at OpenAI (file_id) cannot be read by this model's upstream; send the "
                + "content inline in '" + field + "'.", path).exception();
    }
}
