package io.llmgw.core.provider;

import io.llmgw.core.http.Headers;
import io.llmgw.core.http.UpstreamRequest;
import io.llmgw.core.protocol.openai.ChatOptions;
import io.llmgw.core.routing.Deployment;
import java.net.URI;

/** An upstream that speaks OpenAI Chat Completions: where to send it and how to authenticate. */
public interface ChatUpstream {
    URI chatCompletionsUri(Deployment deployment);

    /** Where to list the provider's models: a cheap call for active health checks, or null when there is none. */
    URI modelsUri(io.llmgw.core.config.GatewayConfig.Provider provider);

    /** Last changes to a chat body for this upstream's own limits (e.g. Gemini's schema subset). */
    default void adaptBody(com.fasterxml.jackson.databind.node.ObjectNode body) {}

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
        Headers headers = Headers.of(
                "content-type", "application/json",
                "accept", stream ? "text/event-stream" : "application/json",
                "user-agent", "llm-gateway/0.1",
                "x-request-id", requestId);
        authorize(headers, key);
        return new UpstreamRequest(chatCompletionsUri(deployment), headers, body,
                deployment.provider().timeout(), deployment.provider().connectTimeout());
    }
}
