package io.llmgw.core.config;

import io.llmgw.core.provider.anthropic.AnthropicSettings;
import io.llmgw.core.provider.azure.AzureSettings;
import io.llmgw.core.provider.gemini.GeminiSettings;
import io.llmgw.core.provider.mock.MockSettings;
import io.llmgw.core.provider.openai.OpenAiSettings;
import java.net.URI;

/** The typed settings of the built-in provider types, read uniformly for assertions. */
public final class Settings {
    private Settings() {}

    public static URI baseUrl(GatewayConfig.Provider p) {
        return switch (p.settings()) {
            case OpenAiSettings s -> s.baseUrl();
            case AzureSettings s -> s.baseUrl();
            case GeminiSettings s -> s.baseUrl();
            case AnthropicSettings s -> s.baseUrl();
            default -> null;
        };
    }

    public static URI chatCompletionsUrl(GatewayConfig.Provider p) {
        return switch (p.settings()) {
            case OpenAiSettings s -> s.chatCompletionsUrl();
            case AzureSettings s -> s.chatCompletionsUrl();
            case GeminiSettings s -> s.chatCompletionsUrl();
            default -> null;
        };
    }

    public static String apiVersion(GatewayConfig.Provider p) {
        return p.settings() instanceof AzureSettings s ? s.apiVersion() : null;
    }

    public static boolean nativeResponses(GatewayConfig.Provider p) {
        return switch (p.settings()) {
            case OpenAiSettings s -> s.nativeResponses();
            case AzureSettings s -> s.nativeResponses();
            default -> false;
        };
    }

    public static MockSettings mockLatency(GatewayConfig.Provider p) {
        return p.settings() instanceof MockSettings s ? s : null;
    }
}
