package io.llmgw.core.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.http.Headers;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.protocol.CustomTools;
import io.llmgw.core.protocol.ToolNames;
import io.llmgw.core.protocol.anthropic.AnthropicResponseDecoder;
import io.llmgw.core.protocol.anthropic.AnthropicStreamDecoder;
import io.llmgw.core.protocol.anthropic.AnthropicUpstreamErrors;
import io.llmgw.core.spi.CanonicalCall;
import io.llmgw.core.spi.Deployment;
import io.llmgw.core.spi.Dialect;
import io.llmgw.core.spi.ListedModel;
import io.llmgw.core.spi.ModelListing;
import io.llmgw.core.spi.NativeBody;
import io.llmgw.core.spi.Provider;
import io.llmgw.core.spi.UpstreamCall;
import io.llmgw.core.upstream.UpstreamRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Anthropic's Messages API ({@code {base_url}/v1/messages}, {@code /v1/messages/count_tokens},
 * {@code /v1/models}): translated canonical requests, and Anthropic clients' own bodies passed
 * through. Authenticated with {@code x-api-key} — or a bearer token for Claude OAuth tokens
 * ({@code sk-ant-oat…}), which Anthropic only takes that way — and {@code anthropic-version}.
 */
public final class AnthropicProvider implements Provider {
    /** The API version the gateway's own requests are written for. */
    public static final String VERSION = "2023-06-01";
    private static final String OAUTH_TOKEN_PREFIX = "sk-ant-oat";
    private static final String MESSAGES = "/v1/messages";
    private static final String COUNT_TOKENS = "/v1/messages/count_tokens";

    private final GatewayConfig.Provider config;
    private final URI baseUrl;

    AnthropicProvider(GatewayConfig.Provider config) {
        this.config = config;
        this.baseUrl = config.settings(AnthropicSettings.class).baseUrl();
    }

    @Override
    public Set<Dialect> nativeDialects() {
        return EnumSet.of(Dialect.ANTHROPIC_MESSAGES);
    }

    @Override
    public boolean countsTokens() {
        return true;
    }

    @Override
    public CanonicalCall canonical(CanonicalRequest request, Deployment deployment, String requestId) {
        ToolNames names = ToolNames.of(request);
        AnthropicRequestEncoder.Encoded encoded = AnthropicRequestEncoder.encode(request, deployment, names);
        UpstreamRequest upstream = post(MESSAGES, Json.bytes(encoded.body()), request.stream(), requestId, VERSION, encoded.beta());
        Set<String> customTools = CustomTools.names(request);
        return CanonicalCall.of(upstream, AnthropicUpstreamErrors::fromUpstream,
                () -> new AnthropicStreamDecoder(names, customTools),
                answer -> AnthropicResponseDecoder.decode(answer, names, customTools));
    }

    /**
     * An Anthropic client's own Messages (or count_tokens) body, with the client's
     * {@code anthropic-version} and {@code anthropic-beta} (betas change what the body may contain).
     */
    @Override
    public UpstreamCall passthrough(NativeBody body, Deployment deployment) {
        if (body.dialect() != Dialect.ANTHROPIC_MESSAGES) {
            throw new IllegalArgumentException(config.name() + " takes only Anthropic Messages bodies");
        }
        byte[] bytes = body.bytes() != null ? body.bytes() : Json.bytes(body.json());
        Headers client = body.clientHeaders();
        String betas = client.all("anthropic-beta").isEmpty() ? null : String.join(",", client.all("anthropic-beta"));
        UpstreamRequest upstream = post(body.countTokens() ? COUNT_TOKENS : MESSAGES, bytes, body.stream(), body.requestId(),
                client.first("anthropic-version"), betas);
        return UpstreamCall.of(upstream, AnthropicUpstreamErrors::fromUpstream);
    }

    @Override
    public UpstreamRequest probeRequest() {
        return get("/v1/models");
    }

    /** Anthropic pages its list by 20 unless asked for more; its entries go to Anthropic clients whole. */
    @Override
    public ModelListing modelListing() {
        return new ModelListing() {
            @Override
            public UpstreamRequest request() {
                return get("/v1/models?limit=1000");
            }

            @Override
            public List<ListedModel> read(JsonNode answer) {
                List<ListedModel> models = new ArrayList<>();
                for (JsonNode entry : answer.path("data")) {
                    String id = Json.text(entry, "id");
                    if (id != null) {
                        models.add(new ListedModel(id, null, null, Json.text(entry, "display_name"), Json.text(entry, "created_at"),
                                entry.isObject() ? entry : null));
                    }
                }
                return models;
            }
        };
    }

    @Override
    public UpstreamRequest sign(UpstreamRequest request, String key) {
        if (key == null) {
            return request;
        }
        return key.startsWith(OAUTH_TOKEN_PREFIX) ? request.withHeader("authorization", "Bearer " + key)
                : request.withHeader("x-api-key", key);
    }

    private UpstreamRequest post(String path, byte[] body, boolean stream, String requestId, String version, String beta) {
        Headers headers = Headers.of(
                "content-type", "application/json",
                "accept", stream ? "text/event-stream" : "application/json",
                "user-agent", "llm-gateway/0.1",
                "x-request-id", requestId,
                "anthropic-version", version == null ? VERSION : version);
        if (beta != null) {
            headers.set("anthropic-beta", beta);
        }
        return new UpstreamRequest(URI.create(baseUrl + path), headers, body, config.timeout(), config.connectTimeout());
    }

    private UpstreamRequest get(String path) {
        return new UpstreamRequest(URI.create(baseUrl + path), Headers.of("accept", "application/json", "user-agent",
                "llm-gateway/0.1", "anthropic-version", VERSION), null, config.timeout(), config.connectTimeout());
    }
}
