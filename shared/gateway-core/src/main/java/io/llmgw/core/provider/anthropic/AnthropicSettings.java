package io.llmgw.core.provider.anthropic;

import io.llmgw.core.config.ProviderSettings;
import java.net.URI;
import java.util.Map;

/** @param baseUrl the API root, as in Anthropic's SDKs; the gateway appends {@code /v1/messages} */
public record AnthropicSettings(URI baseUrl) implements ProviderSettings {
    @Override
    public URI endpoint() {
        return baseUrl;
    }

    @Override
    public Map<String, String> view() {
        return Map.of("base_url", baseUrl.toString());
    }
}
