package io.llmgw.core.routing;

import io.llmgw.core.auth.Credential;
import io.llmgw.core.http.UpstreamRequest;
import io.llmgw.core.protocol.openai.OpenAiErrors;
import io.llmgw.core.provider.ChatUpstream;
import io.llmgw.core.provider.Providers;
import java.util.function.BiFunction;

/**
 * Same-dialect calls: the client's own body goes to an upstream that speaks the client's API, so
 * nothing is lost in translation. Keeps providers out of the dialect packages.
 */
public final class NativeCalls {
    /** The upstream HTTP call and the reader for its errors. */
    public record Call(UpstreamRequest request, UpstreamErrorReader errors) {}

    private NativeCalls() {}

    /** A Chat Completions body for a chat-completions upstream (OpenAI, compatible servers, Azure). */
    public static Call chatCompletions(Deployment deployment, com.fasterxml.jackson.databind.node.ObjectNode body, boolean stream,
                                       Credential credential, String requestId) {
        Providers.chat(deployment.provider().type()).adaptBody(body);
        byte[] bytes = io.llmgw.core.json.Json.bytes(body);
        return openAi(deployment, credential, (upstream, key) -> upstream.chatCompletions(deployment, bytes, key, stream, requestId));
    }

    /** A Responses API body for an upstream configured to serve {@code /responses} itself (OpenAI, Azure). */
    public static Call responses(Deployment deployment, byte[] body, boolean stream, Credential credential, String requestId) {
        return openAi(deployment, credential, (upstream, key) -> upstream.responses(deployment, body, key, stream, requestId));
    }

    private static Call openAi(Deployment deployment, Credential credential, BiFunction<ChatUpstream, String, UpstreamRequest> call) {
        ChatUpstream upstream = Providers.chat(deployment.provider().type());
        String configuredKey = credential.usesConfiguredKey() ? deployment.provider().apiKey() : null;
        String forwardedKey = credential.forwardedKey();
        String key = configuredKey != null ? configuredKey : forwardedKey;
        return new Call(call.apply(upstream, key),
                (status, headers, errorBody) -> OpenAiErrors.fromUpstream(status, headers, errorBody, forwardedKey, configuredKey));
    }
}
