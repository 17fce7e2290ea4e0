package io.llmgw.core.routing;

import io.llmgw.core.auth.Credential;
import io.llmgw.core.dialect.StreamEncoder;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.model.StreamEvent;
import io.llmgw.core.model.Usage;
import io.llmgw.core.provider.Providers;
import io.llmgw.core.provider.UpstreamAdapter;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.web.ClientResponse;

/**
 * Serves a canonical request (from a translated dialect) from a deployment of any provider
 * type: the provider's adapter speaks the upstream's wire, the client's encoder speaks the
 * client's.
 */
public final class CanonicalRelay {
    private final Relay relay;

    public CanonicalRelay(Relay relay) {
        this.relay = relay;
    }

    public void stream(CanonicalRequest request, Deployment deployment, Credential credential, RequestContext ctx,
                       ClientResponse out, StreamEncoder encoder) {
        UpstreamAdapter adapter = Providers.adapter(deployment.provider().type());
        ctx.upstream(deployment.label());
        StreamEncoder recording = new StreamEncoder() {
            @Override
            public void onEvent(StreamEvent event) {
                if (event instanceof StreamEvent.UsageReported reported) {
                    record(reported.usage(), ctx);
                }
                encoder.onEvent(event);
            }

            @Override
            public void onComplete() {
                encoder.onComplete();
            }

            @Override
            public void onError(GatewayError error) {
                encoder.onError(error);
            }

            @Override
            public byte[] keepAliveFrame() {
                return encoder.keepAliveFrame();
            }
        };
        relay.stream(upstreamRequest(adapter, request, deployment, credential, ctx), errors(adapter, deployment, credential),
                new TranslatingStream(adapter.streamDecoder(request), recording), out, ctx);
    }

    public CanonicalResponse call(CanonicalRequest request, Deployment deployment, Credential credential, RequestContext ctx) {
        UpstreamAdapter adapter = Providers.adapter(deployment.provider().type());
        ctx.upstream(deployment.label());
        byte[] body = relay.call(upstreamRequest(adapter, request, deployment, credential, ctx), errors(adapter, deployment, credential), ctx);
        CanonicalResponse response = adapter.decodeResponse(body, request);
        record(response.usage(), ctx);
        return response;
    }

    private static io.llmgw.core.http.UpstreamRequest upstreamRequest(UpstreamAdapter adapter, CanonicalRequest request,
                                                                      Deployment deployment, Credential credential, RequestContext ctx) {
        return adapter.request(request, deployment, key(deployment, credential), ctx.requestId());
    }

    private static UpstreamErrorReader errors(UpstreamAdapter adapter, Deployment deployment, Credential credential) {
        String configured = credential.usesConfiguredKey() ? deployment.provider().apiKey() : null;
        return (status, headers, body) -> adapter.error(status, headers, body, credential.forwardedKey(), configured);
    }

    private static String key(Deployment deployment, Credential credential) {
        return credential.usesConfiguredKey() ? deployment.provider().apiKey() : credential.forwardedKey();
    }

    private static void record(Usage usage, RequestContext ctx) {
        if (usage != null && usage != Usage.NONE) {
            ctx.usage(new RequestContext.Usage(usage.inputTokens(), usage.outputTokens(), usage.cacheReadTokens()));
        }
    }
}
