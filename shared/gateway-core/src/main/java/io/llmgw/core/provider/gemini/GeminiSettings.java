package io.llmgw.core.provider.gemini;

import io.llmgw.core.config.ProviderSettings;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * @param baseUrl            Gemini's OpenAI-compatible root ({@link GeminiFactory#DEFAULT_BASE_URL} unless set)
 * @param chatCompletionsUrl a full chat-completions URL overriding it, or null
 */
public record GeminiSettings(URI baseUrl, URI chatCompletionsUrl) implements ProviderSettings {
    @Override
    public URI endpoint() {
        return chatCompletionsUrl != null ? chatCompletionsUrl : baseUrl;
    }

    @Override
    public Map<String, String> view() {
        Map<String, String> view = new LinkedHashMap<>();
        view.put("base_url", baseUrl.toString());
        if (chatCompletionsUrl != null) {
            view.put("chat_completions_url", chatCompletionsUrl.toString());
        }
        return view;
    }
}
