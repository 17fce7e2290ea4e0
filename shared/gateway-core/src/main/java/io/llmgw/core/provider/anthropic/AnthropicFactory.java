package io.llmgw.core.provider.anthropic;

import io.llmgw.core.config.ConfigException;
import io.llmgw.core.config.ProviderBlock;
import io.llmgw.core.config.ProviderSettings;
import io.llmgw.core.config.SettingsBlock;
import io.llmgw.core.spi.AbstractProviderFactory;
import java.net.URI;
import java.util.List;
import java.util.function.Function;

/** Type {@code anthropic}. Environment: {@code ANTHROPIC_API_KEY} and {@code ANTHROPIC_BASE_URL}, as Anthropic's SDKs read them. */
public final class AnthropicFactory extends AbstractProviderFactory {
    public static final String TYPE = "anthropic";
    /** Anthropic's API root, as its SDKs take it; the gateway appends {@code /v1/messages}. */
    public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";

    /** Its keys include chat_completions_url and api_version, the OpenAI family's, to refuse them rather than ignore them, so a copied block does not silently mean something else. */
    public AnthropicFactory() {
        super(TYPE, AnthropicProvider::new, "base_url", "chat_completions_url", "api_version");
        environmentHints("ANTHROPIC_API_KEY (Anthropic)");
    }

    /**
     * Anthropic's base URL is the API root, as in its SDKs ({@code ANTHROPIC_BASE_URL}): the
     * gateway appends {@code /v1/messages} and {@code /v1/messages/count_tokens} itself, so a URL
     * already ending in {@code /v1} would double it.
     */
    @Override
    public ProviderSettings settings(SettingsBlock block) {
        if (block.text("chat_completions_url") != null) {
            throw new ConfigException(block.source("chat_completions_url") + ": not used by type anthropic, which is reached at "
                    + "{base_url}/v1/messages; remove it and set base_url to the API root, e.g. " + DEFAULT_BASE_URL);
        }
        if (block.text("api_version") != null) {
            throw new ConfigException(block.source("api_version") + ": not used by type anthropic (the gateway sends "
                    + "anthropic-version: 2023-06-01, or the Anthropic client's own); remove it");
        }
        URI base = block.url("base_url");
        if (base == null) {
            return new AnthropicSettings(URI.create(DEFAULT_BASE_URL));
        }
        String path = base.getPath();
        if (path.endsWith("/v1") || path.endsWith("/v1/messages")) {
            throw new ConfigException(block.source("base_url") + ": '" + base + "' ends in " + path.substring(path.lastIndexOf("/v1"))
                    + ", but the gateway appends /v1/messages itself; write the API root, e.g. " + DEFAULT_BASE_URL);
        }
        return new AnthropicSettings(base);
    }

    @Override
    public List<EnvironmentProvider> fromEnvironment(Function<String, String> env) {
        ProviderBlock block = ProviderBlock.fromEnvironment("anthropic", env);
        String key = block.variable("api_key", "ANTHROPIC_API_KEY");
        String base = block.variable("base_url", "ANTHROPIC_BASE_URL");
        return key == null && base == null ? List.of() : List.of(new EnvironmentProvider(block.typed(TYPE), null, 50, false));
    }
}
