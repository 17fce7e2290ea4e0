package io.llmgw.core.provider.openai;

import io.llmgw.core.protocol.openai.ChatUpstreamSettings;
import java.net.URI;
import java.util.Map;

/**
 * @param baseUrl            the API root ({@code {base_url}/chat/completions}), or null when only the chat URL is known
 * @param chatCompletionsUrl a full chat-completions URL overriding {@code baseUrl} (BACKEND_URL), or null
 * @param nativeResponses    the upstream serves {@code /responses} itself ({@code responses: native})
 */
public record OpenAiSettings(URI baseUrl, URI chatCompletionsUrl, boolean nativeResponses) implements ChatUpstreamSettings {
    @Override
    public Map<String, String> view() {
        Map<String, String> view = urlView();
        if (nativeResponses) {
            view.put("responses", "native");
        }
        return view;
    }
}
