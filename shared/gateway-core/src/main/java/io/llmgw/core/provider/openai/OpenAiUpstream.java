package io.llmgw.core.provider.openai;

import io.llmgw.core.http.Headers;
import io.llmgw.core.protocol.openai.ChatOptions;
import io.llmgw.core.provider.ChatUpstream;
import io.llmgw.core.routing.Deployment;
import java.net.URI;

/** OpenAI and every OpenAI-compatible server: {@code {base_url}/chat/completions} with a bearer key. */
public final class OpenAiUpstream implements ChatUpstream {
    @Override
    public URI chatCompletionsUri(Deployment deployment) {
        URI explicit = deployment.provider().chatCompletionsUrl();
        return explicit != null ? explicit : URI.create(deployment.provider().baseUrl() + "/chat/completions");
    }

    /**
     * OpenAI itself rejects {@code max_tokens} on reasoning models and reads PDFs; compatible
     * servers often know only that field and take no files.
     */
    @Override
    public ChatOptions options(Deployment deployment) {
        ChatOptions options = ChatUpstream.super.options(deployment);
        URI uri = chatCompletionsUri(deployment);
        boolean openAi = "api.openai.com".equalsIgnoreCase(uri.getHost());
        return new ChatOptions(openAi, options.reasoningModel(), options.outputCeiling(), openAi);
    }

    @Override
    public void authorize(Headers headers, String key) {
        if (key != null) {
            headers.set("authorization", "Bearer " + key);
        }
    }
}
