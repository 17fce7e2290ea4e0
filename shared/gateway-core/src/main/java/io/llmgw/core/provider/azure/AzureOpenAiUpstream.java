package io.llmgw.core.provider.azure;

import io.llmgw.core.http.Headers;
import io.llmgw.core.http.PathEncoding;
import io.llmgw.core.protocol.openai.ChatOptions;
import io.llmgw.core.provider.ChatUpstream;
import io.llmgw.core.routing.Deployment;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Azure OpenAI (chat completions; the Responses API for providers configured {@code responses: native}): the classic {@code /openai/deployments/{deployment}/chat/completions?api-version=…}
 * path, or the v1 API {@code /openai/v1/chat/completions} (api_version {@code v1}, or a base URL
 * already ending in {@code /openai/v1}) where the deployment goes in the body's {@code model}.
 * Authenticated with the {@code api-key} header.
 */
public final class AzureOpenAiUpstream implements ChatUpstream {
    @Override
    public URI chatCompletionsUri(Deployment deployment) {
        if (deployment.provider().chatCompletionsUrl() != null) {
            return deployment.provider().chatCompletionsUrl();
        }
        String base = deployment.provider().baseUrl().toString();
        if (base.endsWith("/openai/v1")) {
            return URI.create(base + "/chat/completions");
        }
        if ("v1".equals(deployment.provider().apiVersion())) {
            return URI.create(base + "/openai/v1/chat/completions");
        }
        String root = base.endsWith("/openai") ? base : base + "/openai";
        return URI.create(root + "/deployments/" + PathEncoding.encodeSegment(deployment.upstreamModel())
                + "/chat/completions?api-version=" + deployment.provider().apiVersion());
    }

    /**
     * The v1 API's {@code /openai/v1/responses} ({@code ?api-version=preview} opts into previews), or
     * the preview API's {@code /openai/responses?api-version=…}; the deployment goes in the body's model.
     */
    @Override
    public URI responsesUri(Deployment deployment) {
        String base = deployment.provider().baseUrl().toString();
        String version = deployment.provider().apiVersion();
        if (base.endsWith("/openai/v1")) {
            return URI.create(base + "/responses");
        }
        String root = base.endsWith("/openai") ? base : base + "/openai";
        return switch (version) {
            case "v1" -> URI.create(root + "/v1/responses");
            case "preview", "latest" -> URI.create(root + "/v1/responses?api-version=" + version);
            default -> URI.create(root + "/responses?api-version=" + version);
        };
    }

    /**
     * Azure follows OpenAI: {@code max_completion_tokens} works for every model and is required by
     * reasoning ones, and PDFs are read from {@code file} parts.
     */
    @Override
    public ChatOptions options(Deployment deployment) {
        ChatOptions options = ChatUpstream.super.options(deployment);
        return new ChatOptions(true, options.reasoningModel(), options.outputCeiling(), true, ChatOptions.OPENAI_EFFORTS);
    }

    @Override
    public URI modelsUri(io.llmgw.core.config.GatewayConfig.Provider provider) {
        if (provider.baseUrl() == null) {
            return null;
        }
        String base = provider.baseUrl().toString();
        if (base.endsWith("/openai/v1") || "v1".equals(provider.apiVersion())) {
            return URI.create((base.endsWith("/openai/v1") ? base : base + "/openai/v1") + "/models");
        }
        String root = base.endsWith("/openai") ? base : base + "/openai";
        return URI.create(root + "/models?api-version=" + provider.apiVersion());
    }

    @Override
    public void authorize(Headers headers, String key) {
        if (key != null) {
            headers.set("api-key", key);
        }
    }
}
