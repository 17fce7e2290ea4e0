package io.llmgw.core.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.config.ProviderSettings;
import io.llmgw.core.http.Headers;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.protocol.CustomTools;
import io.llmgw.core.protocol.ToolNames;
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
 * What every upstream that speaks OpenAI's Chat Completions API shares (OpenAI and compatible
 * servers, Azure OpenAI, Gemini's compatible endpoint, the mock): canonical requests encoded as
 * chat bodies, chat clients' bodies passed through, answers and errors read in OpenAI's shapes.
 * A provider says where its routes are, how it authenticates, and what its models accept.
 *
 * @param <S> the provider type's settings record
 */
public abstract class ChatCompletionsProvider<S extends ProviderSettings> implements Provider {
    protected static final String USER_AGENT = "llm-gateway/0.1";

    protected final GatewayConfig.Provider config;
    /** The provider's own settings, as its factory read them. */
    protected final S settings;

    protected ChatCompletionsProvider(GatewayConfig.Provider config, Class<S> settingsType) {
        this.config = config;
        this.settings = config.settings(settingsType);
    }

    /** Where this deployment's chat completions are. */
    protected abstract URI chatCompletionsUri(Deployment deployment);

    /** Where the health check and the models list go; null when there is no such route. */
    protected abstract URI modelsUri();

    /** Where this deployment serves the Responses API; asked only when {@link #servesResponses()}. */
    protected URI responsesUri(Deployment deployment) {
        throw new IllegalStateException(config.name() + " does not serve the Responses API");
    }

    /** Whether the upstream serves the Responses API itself ({@code responses: native}). */
    protected boolean servesResponses() {
        return false;
    }

    /**
     * What this deployment accepts. Configured values win; otherwise reasoning models and output
     * ceilings are recognised from well-known OpenAI model names, and the token limit goes in
     * {@code max_tokens}, the field every compatible server knows.
     */
    protected ChatOptions options(Deployment deployment) {
        return new ChatOptions(false,
                deployment.reasoning() != null ? deployment.reasoning() : ChatOptions.looksLikeReasoningModel(deployment.upstreamModel()),
                deployment.maxOutputTokens() != null ? deployment.maxOutputTokens() : ChatOptions.knownOutputCeiling(deployment.upstreamModel()));
    }

    /** Last changes to a chat body for this upstream's own limits (e.g. Gemini's schema subset). */
    protected void adaptBody(ObjectNode body) {}

    @Override
    public Set<Dialect> nativeDialects() {
        return servesResponses() ? EnumSet.of(Dialect.CHAT_COMPLETIONS, Dialect.RESPONSES) : EnumSet.of(Dialect.CHAT_COMPLETIONS);
    }

    @Override
    public CanonicalCall canonical(CanonicalRequest request, Deployment deployment, String requestId) {
        ToolNames names = ToolNames.of(request);
        ObjectNode body = ChatRequestEncoder.encode(request, deployment.upstreamModel(), options(deployment), names);
        adaptBody(body);
        UpstreamRequest upstream = post(chatCompletionsUri(deployment), Json.bytes(body), request.stream(), requestId);
        Set<String> customTools = CustomTools.names(request);
        return CanonicalCall.of(upstream, OpenAiErrors::fromUpstream,
                () -> new ChatStreamDecoder(names, customTools, request.stop()),
                answer -> ChatResponseDecoder.decode(answer, names, customTools, request.stop()));
    }

    @Override
    public UpstreamCall passthrough(NativeBody body, Deployment deployment) {
        URI uri = switch (body.dialect()) {
            case CHAT_COMPLETIONS -> chatCompletionsUri(deployment);
            case RESPONSES -> responsesUri(deployment);
            case ANTHROPIC_MESSAGES -> throw new IllegalArgumentException(config.name() + " does not take Anthropic Messages bodies");
        };
        return UpstreamCall.of(post(uri, passthroughBytes(body), body.stream(), body.requestId()), OpenAiErrors::fromUpstream);
    }

    /**
     * A client's body as this upstream takes it: the dialect's bytes when it passed them through as
     * sent, its tree serialised otherwise. A provider that must adapt chat bodies ({@link #adaptBody})
     * says so here.
     */
    protected byte[] passthroughBytes(NativeBody body) {
        return body.bytes() != null ? body.bytes() : Json.bytes(body.json());
    }

    @Override
    public UpstreamRequest probeRequest() {
        URI uri = modelsUri();
        return uri == null ? null : get(uri);
    }

    @Override
    public ModelListing modelListing() {
        URI uri = modelsUri();
        return uri == null ? null : new ModelListing() {
            @Override
            public UpstreamRequest request() {
                return get(uri);
            }

            @Override
            public List<ListedModel> read(JsonNode answer) {
                return readList(answer);
            }
        };
    }

    /** OpenAI's list shape: {@code data[]} of {@code id}, {@code created}, {@code owned_by}. */
    protected List<ListedModel> readList(JsonNode answer) {
        List<ListedModel> models = new ArrayList<>();
        for (JsonNode entry : answer.path("data")) {
            String id = Json.text(entry, "id");
            if (id != null) {
                JsonNode created = entry.get("created");
                models.add(new ListedModel(listedId(id), created != null && created.canConvertToLong() ? created.longValue() : null,
                        Json.text(entry, "owned_by"), Json.text(entry, "display_name"), Json.text(entry, "created_at")));
            }
        }
        return models;
    }

    /** The name a request takes for a listed id (Gemini lists resource names). */
    protected String listedId(String id) {
        return id;
    }

    /** A bearer key, OpenAI's way (and Gemini's, and most compatible servers'). */
    protected static UpstreamRequest bearer(UpstreamRequest request, String key) {
        return key == null ? request : request.withHeader("authorization", "Bearer " + key);
    }

    protected UpstreamRequest post(URI uri, byte[] body, boolean stream, String requestId) {
        Headers headers = Headers.of(
                "content-type", "application/json",
                "accept", stream ? "text/event-stream" : "application/json",
                "user-agent", USER_AGENT,
                "x-request-id", requestId);
        return new UpstreamRequest(uri, headers, body, config.timeout(), config.connectTimeout());
    }

    protected UpstreamRequest get(URI uri) {
        return new UpstreamRequest(uri, Headers.of("accept", "application/json", "user-agent", USER_AGENT), null,
                config.timeout(), config.connectTimeout());
    }
}
