package io.llmgw.core.provider;

import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.Headers;
import io.llmgw.core.http.UpstreamRequest;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.protocol.CustomTools;
import io.llmgw.core.protocol.ToolNames;
import io.llmgw.core.protocol.UpstreamStreamDecoder;
import io.llmgw.core.protocol.openai.ChatRequestEncoder;
import io.llmgw.core.protocol.openai.ChatResponseDecoder;
import io.llmgw.core.protocol.openai.ChatStreamDecoder;
import io.llmgw.core.protocol.openai.OpenAiErrors;
import io.llmgw.core.routing.Deployment;
import java.net.URI;

/** Serves canonical requests from any Chat Completions upstream (OpenAI, compatible servers, Azure). */
final class ChatCompletionsAdapter implements UpstreamAdapter {
    private final ChatUpstream upstream;

    ChatCompletionsAdapter(ChatUpstream upstream) {
        this.upstream = upstream;
    }

    @Override
    public UpstreamRequest request(CanonicalRequest request, Deployment deployment, String key, String requestId) {
        var body = ChatRequestEncoder.encode(request, deployment.upstreamModel(), upstream.options(deployment), ToolNames.of(request));
        upstream.adaptBody(body);
        return upstream.chatCompletions(deployment, Json.bytes(body), key, request.stream(), requestId);
    }

    @Override
    public UpstreamStreamDecoder streamDecoder(CanonicalRequest request) {
        return new ChatStreamDecoder(ToolNames.of(request), CustomTools.names(request), request.stop());
    }

    @Override
    public CanonicalResponse decodeResponse(byte[] body, CanonicalRequest request) {
        return ChatResponseDecoder.decode(body, ToolNames.of(request), CustomTools.names(request), request.stop());
    }

    @Override
    public GatewayError error(int status, Headers headers, byte[] body, String forwardedKey, String configuredKey) {
        return OpenAiErrors.fromUpstream(status, headers, body, forwardedKey, configuredKey);
    }

    @Override
    public URI modelsUri(GatewayConfig.Provider provider) {
        return upstream.modelsUri(provider);
    }

    @Override
    public void authorize(Headers headers, String key) {
        upstream.authorize(headers, key);
    }
}
