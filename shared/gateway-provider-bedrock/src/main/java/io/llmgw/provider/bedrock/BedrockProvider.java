package io.llmgw.provider.bedrock;

import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.http.Headers;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.protocol.CustomTools;
import io.llmgw.core.protocol.ToolNames;
import io.llmgw.core.spi.CanonicalCall;
import io.llmgw.core.spi.Deployment;
import io.llmgw.core.spi.Provider;
import io.llmgw.core.upstream.UpstreamRequest;
import java.net.URI;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Amazon Bedrock's Converse API: {@code POST {endpoint}/model/{modelId}/converse}, and {@code /converse-stream},
 * whose answer is an AWS event stream. Every client dialect is translated through the canonical model (no client
 * speaks Converse, so no dialect is native: the SPI's default), for every model family Converse serves. The model id — an inference profile ARN too — is one
 * path segment, percent-encoded as AWS's SDKs encode it. Requests are signed over their whole content
 * ({@link BedrockSigner}).
 *
 * <p>No health probe and no model listing (the SPI's defaults): the runtime has no cheap read-only call, and the control plane's
 * {@code ListFoundationModels} is another host, another IAM permission, and lists base models rather than the
 * inference profiles requests name. Real traffic feeds the circuit breakers.
 */
public final class BedrockProvider implements Provider {
    private final GatewayConfig.Provider config;
    private final URI endpoint;
    private final BedrockSigner signer;

    BedrockProvider(GatewayConfig.Provider config) {
        this.config = config;
        BedrockSettings settings = config.settings(BedrockSettings.class);
        this.endpoint = settings.endpoint();
        this.signer = new BedrockSigner(settings.region(), config.name());
    }

    @Override
    public CanonicalCall canonical(CanonicalRequest request, Deployment deployment, String requestId) {
        ToolNames names = ToolNames.of(request);
        String model = deployment.upstreamModel();
        byte[] body = Json.bytes(ConverseRequestEncoder.encode(request, deployment, names));
        URI uri = URI.create(endpoint + "/model/" + SdkHttpUtils.urlEncode(model) + (request.stream() ? "/converse-stream" : "/converse"));
        Headers headers = Headers.of(
                "content-type", "application/json",
                "accept", request.stream() ? EventStreamDecoder.CONTENT_TYPE : "application/json",
                "user-agent", "llm-gateway/0.1",
                "x-request-id", requestId);
        UpstreamRequest upstream = new UpstreamRequest(uri, headers, body, config.timeout(), config.connectTimeout());
        Set<String> customTools = CustomTools.names(request);
        List<String> stops = request.stop();
        return CanonicalCall.of(upstream, BedrockErrors::fromResponse, EventStreamDecoder::of,
                () -> new ConverseStreamDecoder(model, names, customTools, stops),
                answer -> ConverseResponseDecoder.decode(answer, model, names, customTools, stops));
    }

    @Override
    public UpstreamRequest sign(UpstreamRequest request, String key) {
        return signer.sign(request, key);
    }
}
