package io.llmgw.core.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.auth.Credential;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.Headers;
import io.llmgw.core.http.UpstreamRequest;
import io.llmgw.core.json.Json;
import io.llmgw.core.protocol.anthropic.AnthropicUpstreamErrors;
import io.llmgw.core.protocol.openai.OpenAiErrors;
import io.llmgw.core.provider.ChatUpstream;
import io.llmgw.core.provider.Providers;
import io.llmgw.core.provider.anthropic.AnthropicUpstream;
import java.util.function.Function;

/**
 * Same-dialect calls: the client's own body goes to an upstream that speaks the client's API, so
 * nothing is lost in translation. Keeps providers out of the dialect packages.
 */
public final class NativeCalls {
    /** The upstream HTTP call and the reader for its errors. */
    public record Call(UpstreamRequest request, UpstreamErrorReader errors) {}

    /** The keys of one call: the one to send, and the two to mask in upstream messages. */
    private record Keys(String send, String forwarded, String configured) {}

    private NativeCalls() {}

    /** A Chat Completions body for a chat-completions upstream (OpenAI, compatible servers, Azure). */
    public static Call chatCompletions(Deployment deployment, ObjectNode body, boolean stream, Credential credential, String requestId) {
        if (!deployment.provider().type().speaksChatCompletions()) {
            // the chat endpoint translates for such deployments; reaching here is a routing mistake
            throw GatewayError.of(ErrorKind.INTERNAL, "Provider '" + deployment.provider().name() + "' ("
                    + deployment.provider().type().configName() + ") cannot take a Chat Completions body.").exception();
        }
        ChatUpstream upstream = Providers.chat(deployment.provider().type());
        upstream.adaptBody(body);
        byte[] bytes = Json.bytes(body);
        return openAi(deployment, credential, key -> upstream.chatCompletions(deployment, bytes, key, stream, requestId));
    }

    /** A Responses API body for an upstream configured to serve {@code /responses} itself (OpenAI, Azure). */
    public static Call responses(Deployment deployment, byte[] body, boolean stream, Credential credential, String requestId) {
        ChatUpstream upstream = Providers.chat(deployment.provider().type());
        return openAi(deployment, credential, key -> upstream.responses(deployment, body, key, stream, requestId));
    }

    /**
     * An Anthropic Messages body for an Anthropic upstream.
     *
     * @param client the client's request headers: its {@code anthropic-version} and {@code anthropic-beta} go along
     */
    public static Call messages(Deployment deployment, byte[] body, boolean stream, Headers client, Credential credential,
                                String requestId) {
        AnthropicUpstream upstream = Providers.anthropic();
        return anthropic(deployment, credential, key -> upstream.messages(deployment, body, key, stream, requestId, client));
    }

    /** An Anthropic count_tokens body for an Anthropic upstream, headers as for {@link #messages}. */
    public static Call countTokens(Deployment deployment, byte[] body, Headers client, Credential credential, String requestId) {
        AnthropicUpstream upstream = Providers.anthropic();
        return anthropic(deployment, credential, key -> upstream.countTokens(deployment, body, key, requestId, client));
    }

    private static Call openAi(Deployment deployment, Credential credential, Function<String, UpstreamRequest> call) {
        Keys keys = keys(deployment, credential);
        return new Call(call.apply(keys.send()),
                (status, headers, errorBody) -> OpenAiErrors.fromUpstream(status, headers, errorBody, keys.forwarded(), keys.configured()));
    }

    private static Call anthropic(Deployment deployment, Credential credential, Function<String, UpstreamRequest> call) {
        Keys keys = keys(deployment, credential);
        return new Call(call.apply(keys.send()), (status, headers, errorBody) ->
                AnthropicUpstreamErrors.fromUpstream(status, headers, errorBody, keys.forwarded(), keys.configured()));
    }

    private static Keys keys(Deployment deployment, Credential credential) {
        String configured = credential.usesConfiguredKey() ? deployment.provider().apiKey() : null;
        return new Keys(configured != null ? configured : credential.forwardedKey(), credential.forwardedKey(), configured);
    }
}
