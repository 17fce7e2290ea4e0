package io.llmgw.core.routing;

import io.llmgw.core.auth.Credential;
import io.llmgw.core.dialect.StreamEncoder;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.UpstreamRequest;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.model.StreamEvent;
import io.llmgw.core.provider.Providers;
import io.llmgw.core.provider.UpstreamAdapter;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.web.ClientResponse;

/**
 * Serves a canonical request (from a translated dialect) from the deployments of a route, of
 * any provider type: the provider's adapter speaks the upstream's wire, the client's encoder
 * speaks the client's, and {@link Attempts} picks, fails over and retries up to the commit point.
 */
public final class CanonicalRelay {
    private final Relay relay;
    private final Attempts attempts;

    public CanonicalRelay(Relay relay, Attempts attempts) {
        this.relay = relay;
        this.attempts = attempts;
    }

    public void stream(CanonicalRequest request, Route route, Credential credential, RequestContext ctx, ClientResponse out,
                       StreamEncoder encoder) {
        StreamEncoder recording = recording(encoder, ctx);
        try (Attempts.Won<Relay.OpenStream> won = attempts.run(route, estimate(request), ctx, (deployment, condenseTo) -> {
            CanonicalRequest attemptRequest = condensed(request, condenseTo, ctx);
            UpstreamAdapter adapter = Providers.adapter(deployment.provider().type());
            return relay.open(upstreamRequest(adapter, attemptRequest, deployment, credential, ctx),
                    errors(adapter, deployment, credential), new TranslatingStream(adapter.streamDecoder(attemptRequest), recording), ctx);
        })) {
            won.value().commit(out, ctx);
        }
    }

    public CanonicalResponse call(CanonicalRequest request, Route route, Credential credential, RequestContext ctx) {
        try (Attempts.Won<CanonicalResponse> won = attempts.run(route, estimate(request), ctx, (deployment, condenseTo) -> {
            CanonicalRequest attemptRequest = condensed(request, condenseTo, ctx);
            UpstreamAdapter adapter = Providers.adapter(deployment.provider().type());
            byte[] body = relay.call(upstreamRequest(adapter, attemptRequest, deployment, credential, ctx),
                    errors(adapter, deployment, credential), ctx);
            return adapter.decodeResponse(body, attemptRequest);
        })) {
            ctx.usage(won.value().usage());
            ctx.upstreamModel(won.value().model());
            return won.value();
        }
    }

    private static Attempts.Estimate estimate(CanonicalRequest request) {
        return new Attempts.Estimate(TokenEstimate.of(request), request.maxOutputTokens());
    }

    private static CanonicalRequest condensed(CanonicalRequest request, Integer condenseTo, RequestContext ctx) {
        if (condenseTo == null) {
            return request;
        }
        Condenser.Result<CanonicalRequest> result = Condenser.condense(request, condenseTo);
        ctx.responseHeaders().set(Condenser.HEADER, "dropped-messages=" + result.dropped());
        return result.request();
    }

    private static StreamEncoder recording(StreamEncoder encoder, RequestContext ctx) {
        return new StreamEncoder() {
            @Override
            public void onEvent(StreamEvent event) {
                if (event instanceof StreamEvent.UsageReported reported) {
                    ctx.usage(reported.usage());
                } else if (event instanceof StreamEvent.Started started && started.model() != null) {
                    ctx.upstreamModel(started.model());  // for the log; clients see the name they asked for
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
    }

    private static UpstreamRequest upstreamRequest(UpstreamAdapter adapter, CanonicalRequest request, Deployment deployment,
                                                   Credential credential, RequestContext ctx) {
        String key = credential.usesConfiguredKey() ? deployment.provider().apiKey() : credential.forwardedKey();
        return adapter.request(request, deployment, key, ctx.requestId());
    }

    private static UpstreamErrorReader errors(UpstreamAdapter adapter, Deployment deployment, Credential credential) {
        String configured = credential.usesConfiguredKey() ? deployment.provider().apiKey() : null;
        return (status, headers, body) -> adapter.error(status, headers, body, credential.forwardedKey(), configured);
    }
}
