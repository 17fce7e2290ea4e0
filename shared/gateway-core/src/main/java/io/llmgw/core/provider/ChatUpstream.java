package io.llmgw.core.provider;

import io.llmgw.core.http.Headers;
import io.llmgw.core.http.UpstreamRequest;
import io.llmgw.core.protocol.openai.ChatOptions;
import io.llmgw.core.routing.Deployment;
import java.net.URI;

/**
 * An upstream that speaks OpenAI's API: Chat Completions always, the Responses API when the
 * provider is configured with {@code responses: native}. Where to send each and how to authenticate.
 */
public interface ChatUpstream {
    URI chatCompletionsUri(Deployment deployment);

    /** Where to list the provider's models: a cheap call for active health checks, or null when there is none. */
    URI modelsUri(io.llmgw.core.config.GatewayConfig.Provider provider);

    /** Last changes to a chat body for this upstream's own limits (e.g. Gemini's schema subset). */
    default void adaptBody(com.fasterxml.jackson.databind.node.ObjectNode body) {}

    /** Where this deployment serves the Responses API; only asked for providers configured {@code responses: native}. */
    default URI responsesUri(Deployment deployment) {
        throw new IllegalStateException(deployment.provider().name() + " does not serve the Responses API");
    }

    /** Adds the provider's authentication header for {@code key}; a null key sends none. */
    void authorize(Headers headers, String key);

    /**
     * What this deployment accepts. Configured values win; otherwise reasoning models and output
     * ceilings are recognised from well-known OpenAI model names, and the token limit goes in
     * {@code max_tokens}, the field every compatible server knows.
     */
    default ChatOptions options(Deployment deployment) {
        return new ChatOptions(false,
                deployment.reasoning() != null ? deployment.reasoning() : ChatOptions.looksLikeReasoningModel(deployment.upstreamModel()),
                deployment.maxOutputTokens() != null ? deployment.maxOutputTokens() : ChatOptions.knownOutputCeiling(deployment.upstreamModel()));
    }

    default UpstreamRequest chatCompletions(Deployment deployment, byte[] body, String key, boolean stream, String requestId) {
        return post(chatCompletionsUri(deployment), deployment, body, key, stream, requestId);
    }

    /** A Responses API body, passed through to an upstream that serves {@code /responses} itself. */
    default UpstreamRequest responses(Deployment deployment, byte[] body, String key, boolean stream, String requestId) {
        return post(responsesUri(deployment), deployment, body, key, stream, requestId);
    }

    private UpstreamRequest post(URI uri, Deployment deployment, byte[] body, String key, boolean stream, String requestId) {
        Headers headers = Headers.of(
                "content-type", "application/json",
                "accept", stream ? "text/event-stream" : "application/json",
                "user-agent", "llm-gateway/0.1",
                "x-request-id", requestId);
        authorize(headers, key);
        return new UpstreamRequest(uri, headers, body,
                deployment.provider().timeout(), deployment.provider().connectTimeout());
    }
}
