package io.llmgw.core.provider.gemini;

import io.llmgw.core.config.ProviderBlock;
import io.llmgw.core.config.ProviderSettings;
import io.llmgw.core.config.SettingsBlock;
import io.llmgw.core.spi.AbstractProviderFactory;
import java.net.URI;
import java.util.List;
import java.util.function.Function;

/** Type {@code gemini}: Google's OpenAI-compatible endpoint. Environment: {@code GEMINI_API_KEY}. */
public final class GeminiFactory extends AbstractProviderFactory {
    public static final String TYPE = "gemini";
    public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/v1beta/openai";

    public GeminiFactory() {
        super(TYPE, GeminiProvider::new, "base_url", "chat_completions_url");
        environmentHints("GEMINI_API_KEY (Gemini)");
    }

    @Override
    public ProviderSettings settings(SettingsBlock block) {
        URI base = block.url("base_url");
        return new GeminiSettings(base == null ? URI.create(DEFAULT_BASE_URL) : base, block.url("chat_completions_url"));
    }

    @Override
    public List<EnvironmentProvider> fromEnvironment(Function<String, String> env) {
        ProviderBlock block = ProviderBlock.fromEnvironment("gemini", env);
        return block.variable("api_key", "GEMINI_API_KEY") == null ? List.of()
                : List.of(new EnvironmentProvider(block.typed(TYPE), null, 40, false));
    }
}
