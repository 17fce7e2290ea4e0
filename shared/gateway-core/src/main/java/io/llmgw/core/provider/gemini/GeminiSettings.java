package io.llmgw.core.provider.gemini;

import io.llmgw.core.protocol.openai.ChatUpstreamSettings;
import java.net.URI;
import java.util.Map;

/**
 * @param baseUrl            Gemini's OpenAI-compatible root ({@link GeminiFactory#DEFAULT_BASE_URL} unless set)
 * @param chatCompletionsUrl a full chat-completions URL overriding it, or null
 */
public record GeminiSettings(URI baseUrl, URI chatCompletionsUrl) implements ChatUpstreamSettings {
    /** The chat URL when set: unlike the others, Gemini always has a base URL (its default), so that would hide it. */
    @Override
    public URI endpoint() {
        return chatCompletionsUrl != null ? chatCompletionsUrl : baseUrl;
    }

    @Override
    public Map<String, String> view() {
        return urlView();
    }
}
