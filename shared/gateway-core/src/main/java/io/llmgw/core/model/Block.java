package io.llmgw.core.model;

import java.util.List;

/**
 * One piece of message content in the canonical model, close to Anthropic's content blocks
 * because they are the richest of the dialects: every dialect's parts map onto these.
 */
public sealed interface Block {
    record Text(String text) implements Block {}

    /** An image given either inline ({@code mediaType} + base64 {@code data}) or by {@code url}. */
    record Image(String mediaType, String data, String url, String detail) implements Block {}

    /**
     * A document: inline base64 {@code data} of {@code mediaType} (e.g. application/pdf), plain
     * {@code text}, or a {@code url}.
     */
    record Document(String mediaType, String data, String text, String url, String title, String filename) implements Block {}

    /**
     * A call the assistant made. {@code arguments} is the JSON text of the input for function
     * tools, or the raw input for custom (free-form) tools.
     *
     * @param signature an opaque provider token that must travel with the call (Gemini's thought signature), or null
     */
    record ToolCall(String id, String name, String arguments, boolean custom, String signature) implements Block {
        public ToolCall(String id, String name, String arguments) {
            this(id, name, arguments, false, null);
        }
    }

    /** The result of a tool call, in the user turn that follows it. */
    record ToolResult(String toolCallId, List<Block> content, boolean isError) implements Block {}

    /**
     * Model reasoning. {@code signature} is whatever opaque token lets the provider that produced
     * it verify or resume it (Anthropic's signature, OpenAI's encrypted_content), or null.
     */
    record Thinking(String text, String signature) implements Block {}

    /** Reasoning the provider returned encrypted only (Anthropic's redacted_thinking). */
    record RedactedThinking(String data) implements Block {}
}
