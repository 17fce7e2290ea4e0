package io.llmgw.core.routing;

import io.llmgw.core.relay.TranslatingStream;

import io.llmgw.core.auth.Credential;
import io.llmgw.core.relay.Completion;
import io.llmgw.core.relay.StreamEncoder;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.model.StreamEvent;
import io.llmgw.core.spi.CanonicalCall;
import io.llmgw.core.spi.Deployment;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.web.ClientResponse;

/**
 * Serves a canonical request (from a translated dialect) from the deployments of a route, of
 * any provider type: the provider speaks the upstream's wire, the client's encoder speaks the
 * client's, and {@link Attempts} picks, fails over and retries up to the commit point.
 */
public final class CanonicalRelay {
    private final UpstreamCalls calls;

    public CanonicalRelay(UpstreamCalls calls) {
        this.calls = calls;
    }

    /**
     * @param estimate  the request's size as routing sees it (the caller has worked it out already)
     * @param committed run once the stream is committed to a deployment ({@link UpstreamCalls#stream})
     */
    public void stream(CanonicalRequest request, Attempts.Estimate estimate, Route route, Credential credential, RequestContext ctx,
                       ClientResponse out, StreamEncoder encoder, Runnable committed) {
        StreamEncoder recording = recording(encoder, ctx);
        calls.stream(route, estimate, credential, ctx, out, (deployment, condenseTo) -> call(request, deployment, condenseTo, ctx),
                call -> new TranslatingStream(call.streamDecoder(), recording), committed);
    }

    public void call(CanonicalRequest request, Attempts.Estimate estimate, Route route, Credential credential, RequestContext ctx,
                     ClientResponse out, Completion<CanonicalResponse> answered) {
        calls.call(route, estimate, credential, ctx, out, (deployment, condenseTo) -> call(request, deployment, condenseTo, ctx),
                CanonicalCall::decode, new Completion<CanonicalResponse>() {
                    @Override
                    public void done(CanonicalResponse answer) {
                        ctx.usage(answer.usage());
                        ctx.upstreamModel(answer.model());
                        answered.done(answer);
                    }

                    @Override
                    public void failed(RuntimeException error) {
                        answered.failed(error);
                    }
                });
    }

    private static CanonicalCall call(CanonicalRequest request, Deployment deployment, Integer condenseTo, RequestContext ctx) {
        return deployment.upstream().canonical(condensed(request, condenseTo, ctx), deployment, ctx.requestId());
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
}
