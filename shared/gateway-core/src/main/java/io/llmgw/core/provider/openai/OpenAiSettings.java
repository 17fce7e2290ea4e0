package io.llmgw.core.provider.openai;

import io.llmgw.core.config.ProviderSettings;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * @param baseUrl            the API root ({@code {base_url}/chat/completions}), or null when only the chat URL is known
 * @param chatCompletionsUrl a full chat-completions URL overriding {@code baseUrl} (BACKEND_URL), or null
 * @param nativeResponses    the upstream serves {@code /responses} itself ({@code responses: native})
 */
public record OpenAiSettings(URI baseUrl, URI chatCompletionsUrl, boolean nativeResponses) implements ProviderSettings {
    @Override
    public URI endpoint() {
        return baseUrl != null ? baseUrl : chatCompletionsUrl;
    }

    @Override
    public Map<String, String> view() {
        Map<String, String> view = new LinkedHashMap<>();
        if (baseUrl != null) {
            view.put("base_url", baseUrl.toString());
        }
        if (chatCompletionsUrl != null) {
            view.put("chat_completions_url", chatCompletionsUrl.toString());
        }
        if (nativeResponses) {
            view.put("responses", "native");
        }
        return view;
    }
}
