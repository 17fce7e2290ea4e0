package io.llmgw.core.provider.openai;

import io.llmgw.core.config.ConfigException;
import io.llmgw.core.config.ProviderBlock;
import io.llmgw.core.config.ProviderSettings;
import io.llmgw.core.config.SettingsBlock;
import io.llmgw.core.protocol.openai.ResponsesSetting;
import io.llmgw.core.spi.AbstractProviderFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Type {@code openai}: OpenAI, and any server that speaks its Chat Completions API (vLLM, Ollama,
 * LiteLLM, …) — adding one is configuration only. Environment: {@code BACKEND_URL} (a full chat URL,
 * with {@code BACKEND_TIMEOUT_SECS}) and {@code OPENAI_API_KEY} / {@code OPENAI_BASE_URL}.
 */
public final class OpenAiFactory extends AbstractProviderFactory {
    public static final String TYPE = "openai";
    static final String DEFAULT_BASE = "https://api.openai.com/v1";

    public OpenAiFactory() {
        super(TYPE, OpenAiProvider::new, "base_url", "chat_completions_url", "responses");
        environmentHints("BACKEND_URL (the chat-completions URL of an OpenAI-compatible server)", "OPENAI_API_KEY (OpenAI)");
    }

    @Override
    public ProviderSettings settings(SettingsBlock block) {
        URI chat = block.url("chat_completions_url");
        URI base = block.url("base_url");
        if (base == null && chat == null) {
            throw new ConfigException(block.source("base_url") + ": missing; set the provider's base URL, e.g. " + DEFAULT_BASE);
        }
        boolean nativeResponses = ResponsesSetting.nativeResponses(block);
        if (nativeResponses && base == null && !chat.getPath().endsWith(OpenAiProvider.CHAT)) {
            throw new ConfigException(block.source("base_url") + ": needed with responses: native, so the gateway knows where "
                    + "/responses is; set the provider's base URL");
        }
        return new OpenAiSettings(base, chat, nativeResponses);
    }

    @Override
    public List<EnvironmentProvider> fromEnvironment(Function<String, String> env) {
        List<EnvironmentProvider> found = new ArrayList<>();
        ProviderBlock backend = ProviderBlock.fromEnvironment("backend", env);
        if (backend.variable("chat_completions_url", "BACKEND_URL") != null) {
            String url = backend.text("chat_completions_url").replaceAll("/+$", "");
            if (url.endsWith(OpenAiProvider.CHAT)) {
                backend.put("base_url", url.substring(0, url.length() - OpenAiProvider.CHAT.length()), "BACKEND_URL");
            }
            backend.variable("timeout", "BACKEND_TIMEOUT_SECS");
            found.add(new EnvironmentProvider(backend.typed(TYPE), null, 20, false));
        }
        ProviderBlock openai = ProviderBlock.fromEnvironment("openai", env);
        String key = openai.variable("api_key", "OPENAI_API_KEY");
        String base = openai.variable("base_url", "OPENAI_BASE_URL");
        if (key != null || base != null) {
            if (base == null) {
                openai.put("base_url", DEFAULT_BASE, "OPENAI_BASE_URL");
            }
            found.add(new EnvironmentProvider(openai.typed(TYPE), null, 30, false));
        }
        return found;
    }
}
