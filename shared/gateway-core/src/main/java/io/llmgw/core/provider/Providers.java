package io.llmgw.core.provider;

import io.llmgw.core.config.ProviderType;
import io.llmgw.core.http.InProcessUpstream;
import io.llmgw.core.provider.anthropic.AnthropicUpstream;
import io.llmgw.core.provider.azure.AzureOpenAiUpstream;
import io.llmgw.core.provider.gemini.GeminiUpstream;
import io.llmgw.core.provider.mock.MockServer;
import io.llmgw.core.provider.mock.MockUpstream;
import io.llmgw.core.provider.openai.OpenAiUpstream;
import java.util.Map;

/** The provider implementation for each configured provider type. */
public final class Providers {
    private static final ChatUpstream OPENAI = new OpenAiUpstream();
    private static final ChatUpstream AZURE = new AzureOpenAiUpstream();
    private static final ChatUpstream GEMINI = new GeminiUpstream();
    private static final AnthropicUpstream ANTHROPIC = new AnthropicUpstream();
    private static final ChatUpstream MOCK = new MockUpstream();

    private static final UpstreamAdapter OPENAI_ADAPTER = new ChatCompletionsAdapter(OPENAI);
    private static final UpstreamAdapter AZURE_ADAPTER = new ChatCompletionsAdapter(AZURE);
    private static final UpstreamAdapter GEMINI_ADAPTER = new ChatCompletionsAdapter(GEMINI);
    private static final UpstreamAdapter MOCK_ADAPTER = new ChatCompletionsAdapter(MOCK);

    private Providers() {}

    /** The adapter serving canonical requests (translated dialects) from this provider type. */
    public static UpstreamAdapter adapter(ProviderType type) {
        return switch (type) {
            case OPENAI -> OPENAI_ADAPTER;
            case AZURE_OPENAI -> AZURE_ADAPTER;
            case GEMINI -> GEMINI_ADAPTER;
            case ANTHROPIC -> ANTHROPIC;
            case MOCK -> MOCK_ADAPTER;
        };
    }

    /** The OpenAI-API side of a provider type that {@linkplain ProviderType#speaksChatCompletions() speaks chat completions}. */
    public static ChatUpstream chat(ProviderType type) {
        return switch (type) {
            case OPENAI -> OPENAI;
            case AZURE_OPENAI -> AZURE;
            case GEMINI -> GEMINI;
            case MOCK -> MOCK;
            case ANTHROPIC -> throw new IllegalArgumentException("provider type " + type.configName() + " does not speak chat completions");
        };
    }

    /** The upstreams answering inside the gateway, by the URI scheme of their requests (see {@code UpstreamClient}). */
    public static Map<String, InProcessUpstream> inProcess() {
        return Map.of(MockServer.SCHEME, new MockServer());
    }

    /** Anthropic's Messages API, for Anthropic clients' bodies passed through. */
    public static AnthropicUpstream anthropic() {
        return ANTHROPIC;
    }
}
