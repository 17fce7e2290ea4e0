package io.llmgw.core.provider.azure;

import io.llmgw.core.protocol.openai.ChatUpstreamSettings;
import java.net.URI;
import java.util.Map;

/**
 * @param baseUrl            the resource URL ({@code https://my-resource.openai.azure.com}), or one ending in {@code /openai/v1}
 * @param chatCompletionsUrl a full chat-completions URL overriding the path the gateway would build, or null
 * @param apiVersion         the {@code api-version}, or {@code v1} for the {@code /openai/v1/} API
 * @param nativeResponses    the deployment serves {@code /responses} itself ({@code responses: native})
 */
public record AzureSettings(URI baseUrl, URI chatCompletionsUrl, String apiVersion, boolean nativeResponses)
        implements ChatUpstreamSettings {
    @Override
    public Map<String, String> view() {
        Map<String, String> view = urlView();
        view.put("api_version", apiVersion);
        if (nativeResponses) {
            view.put("responses", "native");
        }
        return view;
    }
}
