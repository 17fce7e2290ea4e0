package io.llmgw.core.provider.anthropic;

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
import io.llmgw.core.protocol.anthropic.AnthropicUpstreamErrors;
import io.llmgw.core.provider.UpstreamAdapter;
import io.llmgw.core.routing.Deployment;
import java.net.URI;

/**
 * Anthropic's Messages API ({@code {base_url}/v1/messages}, {@code /v1/messages/count_tokens},
 * {@code /v1/models}): translated canonical requests, and Anthropic clients' own bodies passed
 * through. Authenticated with {@code x-api-key} — or a bearer token for Claude OAuth tokens
 * ({@code sk-ant-oat…}), which Anthropic only takes that way — and {@code anthropic-version}.
 */
public final class AnthropicUpstream implements UpstreamAdapter {
    /** The API version the gateway's own requests are written for. */
    public static final String VERSION = "2023-06-01";
    private static final String OAUTH_TOKEN_PREFIX = "sk-ant-oat";
    private static final String MESSAGES = "/v1/messages";
    private static final String COUNT_TOKENS = "/v1/messages/count_tokens";

    @Override
    public UpstreamRequest request(CanonicalRequest request, Deployment deployment, String key, String requestId) {
        AnthropicRequestEncoder.Encoded encoded = AnthropicRequestEncoder.encode(request, deployment, ToolNames.of(request));
        return post(deployment, MESSAGES, Json.bytes(encoded.body()), key, request.stream(), requestId, VERSION, encoded.beta());
    }

    @Override
    public UpstreamStreamDecoder streamDecoder(CanonicalRequest request) {
        return new AnthropicStreamDecoder(ToolNames.of(request), CustomTools.names(request));
    }

    @Override
    public CanonicalResponse decodeResponse(byte[] body, CanonicalRequest request) {
        return AnthropicResponseDecoder.decode(body, ToolNames.of(request), CustomTools.names(request));
    }

    @Override
    public GatewayError error(int status, Headers headers, byte[] body, String forwardedKey, String configuredKey) {
        return AnthropicUpstreamErrors.fromUpstream(status, headers, body, forwardedKey, configuredKey);
    }

    @Override
    public URI modelsUri(GatewayConfig.Provider provider) {
        return URI.create(provider.baseUrl() + "/v1/models");
    }

    @Override
    public void authorize(Headers headers, String key) {
        if (key != null) {
            if (key.startsWith(OAUTH_TOKEN_PREFIX)) {
                headers.set("authorization", "Bearer " + key);
            } else {
                headers.set("x-api-key", key);
            }
        }
        if (!headers.contains("anthropic-version")) {
            headers.set("anthropic-version", VERSION);
        }
    }

    /**
     * An Anthropic client's own Messages body, passed through with the client's
     * {@code anthropic-version} and {@code anthropic-beta} (betas change what the body may contain).
     */
    public UpstreamRequest messages(Deployment deployment, byte[] body, String key, boolean stream, String requestId, Headers client) {
        return post(deployment, MESSAGES, body, key, stream, requestId, client.first("anthropic-version"), betas(client));
    }

    /** An Anthropic client's count_tokens body, passed through like {@link #messages}. */
    public UpstreamRequest countTokens(Deployment deployment, byte[] body, String key, String requestId, Headers client) {
        return post(deployment, COUNT_TOKENS, body, key, false, requestId, client.first("anthropic-version"), betas(client));
    }

    private UpstreamRequest post(Deployment deployment, String path, byte[] body, String key, boolean stream, String requestId,
                                 String version, String beta) {
        Headers headers = Headers.of(
                "content-type", "application/json",
                "accept", stream ? "text/event-stream" : "application/json",
                "user-agent", "llm-gateway/0.1",
                "x-request-id", requestId,
                "anthropic-version", version == null ? VERSION : version);
        if (beta != null) {
            headers.set("anthropic-beta", beta);
        }
        authorize(headers, key);
        return new UpstreamRequest(URI.create(deployment.provider().baseUrl() + path), headers, body,
                deployment.provider().timeout(), deployment.provider().connectTimeout());
    }

    /** Several {@code anthropic-beta} headers mean the same as one with the values joined by commas. */
    private static String betas(Headers client) {
        return client.all("anthropic-beta").isEmpty() ? null : String.join(",", client.all("anthropic-beta"));
    }
}
