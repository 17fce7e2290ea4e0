package io.llmgw.core.provider.openai;

import io.llmgw.core.http.Headers;
import io.llmgw.core.protocol.openai.ChatOptions;
import io.llmgw.core.provider.ChatUpstream;
import io.llmgw.core.routing.Deployment;
import java.net.URI;

/**
 * OpenAI and every OpenAI-compatible server: {@code {base_url}/chat/completions} (and, for
 * {@code responses: native}, {@code {base_url}/responses}) with a bearer key.
 */
public final class OpenAiUpstream implements ChatUpstream {
    private static final String CHAT = "/chat/completions";

    @Override
    public URI chatCompletionsUri(Deployment deployment) {
        URI explicit = deployment.provider().chatCompletionsUrl();
        return explicit != null ? explicit : URI.create(deployment.provider().baseUrl() + CHAT);
    }

    /** Beside chat completions: the base URL's, or else the explicit chat URL's sibling (validated at start). */
    @Override
    public URI responsesUri(Deployment deployment) {
        URI base = deployment.provider().baseUrl();
        if (base != null) {
            return URI.create(base + "/responses");
        }
        String chat = deployment.provider().chatCompletionsUrl().toString();
        return URI.create(chat.substring(0, chat.length() - CHAT.length()) + "/responses");
    }

    /**
     * OpenAI itself rejects {@code max_tokens} on reasoning models, reads PDFs and takes every
     * reasoning effort; compatible servers often know only that field, take no files and validate
     * efforts against low, medium and high.
     */
    @Override
    public ChatOptions options(Deployment deployment) {
        ChatOptions options = ChatUpstream.super.options(deployment);
        URI uri = chatCompletionsUri(deployment);
        boolean openAi = "api.openai.com".equalsIgnoreCase(uri.getHost());
        return new ChatOptions(openAi, options.reasoningModel(), options.outputCeiling(), openAi,
                openAi ? ChatOptions.OPENAI_EFFORTS : ChatOptions.COMMON_EFFORTS);
    }

    /** Beside chat completions too: a {@code BACKEND_URL} names only the chat URL, and its server lists models beside it. */
    @Override
    public URI modelsUri(io.llmgw.core.config.GatewayConfig.Provider provider) {
        if (provider.baseUrl() != null) {
            return URI.create(provider.baseUrl() + "/models");
        }
        String chat = provider.chatCompletionsUrl() == null ? "" : provider.chatCompletionsUrl().toString();
        return chat.endsWith(CHAT) ? URI.create(chat.substring(0, chat.length() - CHAT.length()) + "/models") : null;
    }

    @Override
    public void authorize(Headers headers, String key) {
        if (key != null) {
            headers.set("authorization", "Bearer " + key);
        }
    }
}
