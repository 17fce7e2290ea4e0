package io.llmgw.core.provider;

import io.llmgw.core.config.ProviderType;
import io.llmgw.core.provider.azure.AzureOpenAiUpstream;
import io.llmgw.core.provider.openai.OpenAiUpstream;

/** The provider implementation for each configured provider type. */
public final class Providers {
    private static final ChatUpstream OPENAI = new OpenAiUpstream();
    private static final ChatUpstream AZURE = new AzureOpenAiUpstream();

    private Providers() {}

    public static ChatUpstream chat(ProviderType type) {
        return switch (type) {
            case OPENAI -> OPENAI;
            case AZURE_OPENAI -> AZURE;
        };
    }
}
