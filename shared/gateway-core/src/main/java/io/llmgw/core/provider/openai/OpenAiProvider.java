package io.llmgw.core.provider.openai;

import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.protocol.openai.ChatCompletionsProvider;
import io.llmgw.core.protocol.openai.ChatOptions;
import io.llmgw.core.spi.Deployment;
import io.llmgw.core.upstream.UpstreamRequest;
import java.net.URI;

/**
 * OpenAI and every OpenAI-compatible server: {@code {base_url}/chat/completions} (and, for
 * {@code responses: native}, {@code {base_url}/responses}) with a bearer key.
 */
final class OpenAiProvider extends ChatCompletionsProvider<OpenAiSettings> {
    static final String CHAT = "/chat/completions";

    OpenAiProvider(GatewayConfig.Provider config) {
        super(config, OpenAiSettings.class);
    }

    @Override
    protected URI chatCompletionsUri(Deployment deployment) {
        return settings.chatCompletionsUrl() != null ? settings.chatCompletionsUrl() : URI.create(settings.baseUrl() + CHAT);
    }

    @Override
    protected boolean servesResponses() {
        return settings.nativeResponses();
    }

    /** Beside chat completions: the base URL's, or else the explicit chat URL's sibling (validated at start). */
    @Override
    protected URI responsesUri(Deployment deployment) {
        return URI.create(root() + "/responses");
    }

    /** Beside chat completions too: a {@code BACKEND_URL} names only the chat URL, and its server lists models beside it. */
    @Override
    protected URI modelsUri() {
        String root = root();
        return root == null ? null : URI.create(root + "/models");
    }

    private String root() {
        if (settings.baseUrl() != null) {
            return settings.baseUrl().toString();
        }
        String chat = settings.chatCompletionsUrl().toString();
        return chat.endsWith(CHAT) ? chat.substring(0, chat.length() - CHAT.length()) : null;
    }

    /**
     * OpenAI itself rejects {@code max_tokens} on reasoning models, reads PDFs and takes every
     * reasoning effort; compatible servers often know only that field, take no files and validate
     * efforts against low, medium and high.
     */
    @Override
    protected ChatOptions options(Deployment deployment) {
        ChatOptions options = super.options(deployment);
        boolean openAi = "api.openai.com".equalsIgnoreCase(chatCompletionsUri(deployment).getHost());
        return new ChatOptions(openAi, options.reasoningModel(), options.outputCeiling(), openAi,
                openAi ? ChatOptions.OPENAI_EFFORTS : ChatOptions.COMMON_EFFORTS);
    }

    @Override
    public UpstreamRequest sign(UpstreamRequest request, String key) {
        return bearer(request, key);
    }
}
