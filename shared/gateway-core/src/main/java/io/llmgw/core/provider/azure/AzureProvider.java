package io.llmgw.core.provider.azure;

import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.http.PathEncoding;
import io.llmgw.core.protocol.openai.ChatCompletionsProvider;
import io.llmgw.core.protocol.openai.ChatOptions;
import io.llmgw.core.spi.Deployment;
import io.llmgw.core.spi.ModelListing;
import io.llmgw.core.upstream.UpstreamRequest;
import java.net.URI;

/**
 * Azure OpenAI (chat completions; the Responses API for providers configured {@code responses: native}):
 * the classic {@code /openai/deployments/{deployment}/chat/completions?api-version=…} path, or the v1
 * API {@code /openai/v1/chat/completions} (api_version {@code v1}, or a base URL already ending in
 * {@code /openai/v1}) where the deployment goes in the body's {@code model}. Authenticated with the
 * {@code api-key} header.
 */
final class AzureProvider extends ChatCompletionsProvider<AzureSettings> {

    AzureProvider(GatewayConfig.Provider config) {
        super(config, AzureSettings.class);
    }

    @Override
    protected URI chatCompletionsUri(Deployment deployment) {
        if (settings.chatCompletionsUrl() != null) {
            return settings.chatCompletionsUrl();
        }
        String base = settings.baseUrl().toString();
        if (base.endsWith("/openai/v1")) {
            return URI.create(base + "/chat/completions");
        }
        if ("v1".equals(settings.apiVersion())) {
            return URI.create(base + "/openai/v1/chat/completions");
        }
        return URI.create(root(base) + "/deployments/" + PathEncoding.encodeSegment(deployment.upstreamModel())
                + "/chat/completions?api-version=" + settings.apiVersion());
    }

    @Override
    protected boolean servesResponses() {
        return settings.nativeResponses();
    }

    /**
     * The v1 API's {@code /openai/v1/responses} ({@code ?api-version=preview} opts into previews), or
     * the preview API's {@code /openai/responses?api-version=…}; the deployment goes in the body's model.
     */
    @Override
    protected URI responsesUri(Deployment deployment) {
        String base = settings.baseUrl().toString();
        if (base.endsWith("/openai/v1")) {
            return URI.create(base + "/responses");
        }
        String version = settings.apiVersion();
        return switch (version) {
            case "v1" -> URI.create(root(base) + "/v1/responses");
            case "preview", "latest" -> URI.create(root(base) + "/v1/responses?api-version=" + version);
            default -> URI.create(root(base) + "/responses?api-version=" + version);
        };
    }

    @Override
    protected URI modelsUri() {
        if (settings.baseUrl() == null) {
            return null;
        }
        String base = settings.baseUrl().toString();
        if (base.endsWith("/openai/v1") || "v1".equals(settings.apiVersion())) {
            return URI.create((base.endsWith("/openai/v1") ? base : base + "/openai/v1") + "/models");
        }
        return URI.create(root(base) + "/models?api-version=" + settings.apiVersion());
    }

    /** Azure's models route lists base models, while its requests name deployments: nothing to offer clients. */
    @Override
    public ModelListing modelListing() {
        return null;
    }

    /**
     * Azure follows OpenAI: {@code max_completion_tokens} works for every model and is required by
     * reasoning ones, and PDFs are read from {@code file} parts.
     */
    @Override
    protected ChatOptions options(Deployment deployment) {
        ChatOptions options = super.options(deployment);
        return new ChatOptions(true, options.reasoningModel(), options.outputCeiling(), true, ChatOptions.OPENAI_EFFORTS);
    }

    @Override
    public UpstreamRequest sign(UpstreamRequest request, String key) {
        return key == null ? request : request.withHeader("api-key", key);
    }

    private static String root(String base) {
        return base.endsWith("/openai") ? base : base + "/openai";
    }
}
