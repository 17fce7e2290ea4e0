package io.llmgw.core.provider;

import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.Headers;
import io.llmgw.core.http.UpstreamRequest;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.model.ToolDefinition;
import io.llmgw.core.protocol.ToolNames;
import io.llmgw.core.protocol.UpstreamStreamDecoder;
import io.llmgw.core.protocol.openai.ChatRequestEncoder;
import io.llmgw.core.protocol.openai.ChatResponseDecoder;
import io.llmgw.core.protocol.openai.ChatStreamDecoder;
import io.llmgw.core.protocol.openai.OpenAiErrors;
import io.llmgw.core.routing.Deployment;
import java.util.Set;
import java.util.stream.Collectors;

/** Serves canonical requests from any Chat Completions upstream (OpenAI, compatible servers, Azure). */
final class ChatCompletionsAdapter implements UpstreamAdapter {
    private final ChatUpstream upstream;

    ChatCompletionsAdapter(ChatUpstream upstream) {
        this.upstream = upstream;
    }

    @Override
    public UpstreamRequest request(CanonicalRequest request, Deployment deployment, String key, String requestId) {
        var body = ChatRequestEncoder.encode(request, deployment.upstreamModel(), upstream.options(deployment), toolNames(request));
        upstream.adaptBody(body);
        return upstream.chatCompletions(deployment, Json.bytes(body), key, request.stream(), requestId);
    }

    @Override
    public UpstreamStreamDecoder streamDecoder(CanonicalRequest request) {
        return new ChatStreamDecoder(toolNames(request), customTools(request));
    }

    @Override
    public CanonicalResponse decodeResponse(byte[] body, CanonicalRequest request) {
        return ChatResponseDecoder.decode(body, toolNames(request), customTools(request));
    }

    @Override
    public GatewayError error(int status, Headers headers, byte[] body, String forwardedKey, String configuredKey) {
        return OpenAiErrors.fromUpstream(status, headers, body, forwardedKey, configuredKey);
    }

    private static ToolNames toolNames(CanonicalRequest request) {
        return request.hasTools() ? new ToolNames(request.tools()) : ToolNames.NONE;
    }

    private static Set<String> customTools(CanonicalRequest request) {
        return request.tools().stream().filter(ToolDefinition::custom).map(ToolDefinition::name).collect(Collectors.toSet());
    }
}
