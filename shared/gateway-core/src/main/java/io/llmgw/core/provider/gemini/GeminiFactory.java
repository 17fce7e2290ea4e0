package io.llmgw.core.provider.gemini;

import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.config.ProviderBlock;
import io.llmgw.core.config.ProviderSettings;
import io.llmgw.core.config.SettingsBlock;
import io.llmgw.core.spi.Provider;
import io.llmgw.core.spi.ProviderFactory;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Type {@code gemini}: Google's OpenAI-compatible endpoint. Environment: {@code GEMINI_API_KEY}. */
public final class GeminiFactory implements ProviderFactory {
    public static final String TYPE = "gemini";
    public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/v1beta/openai";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<String> keys() {
        return Set.of("base_url", "chat_completions_url");
    }

    @Override
    public ProviderSettings settings(SettingsBlock block) {
        URI base = block.url("base_url");
        return new GeminiSettings(base == null ? URI.create(DEFAULT_BASE_URL) : base, block.url("chat_completions_url"));
    }

    @Override
    public Provider create(GatewayConfig.Provider config) {
        return new GeminiProvider(config);
    }

    @Override
    public List<EnvironmentProvider> fromEnvironment(Function<String, String> env) {
        ProviderBlock block = ProviderBlock.fromEnvironment("gemini", env);
        return block.variable("api_key", "GEMINI_API_KEY") == null ? List.of()
                : List.of(new EnvironmentProvider(block.typed(TYPE), null, 40, false));
    }
}
