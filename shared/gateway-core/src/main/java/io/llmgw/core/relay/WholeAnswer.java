package io.llmgw.core.relay;

import io.llmgw.core.error.GatewayException;
import io.llmgw.core.http.BodyGather;
import io.llmgw.core.http.Headers;
import io.llmgw.core.spi.UpstreamCall;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.upstream.UpstreamRequest;
import io.llmgw.core.upstream.UpstreamResponse;
import java.io.IOException;
import java.nio.ByteBuffer;

/** A non-streamed answer gathered whole (bounded by {@link Relay#MAX_UPSTREAM_BODY_BYTES}), then handed on. */
final class WholeAnswer extends UpstreamAnswer {
    private final Completion<byte[]> answer;
    private BodyGather body;

    WholeAnswer(UpstreamRequest request, UpstreamCall call, boolean gatewayKey, RequestContext ctx, Completion<byte[]> answer) {
        super(request, call, gatewayKey, ctx);
        this.answer = answer;
    }

    @Override
    void head(Headers headers) {
        body = new BodyGather(UpstreamResponse.declaredLength(headers), Relay.MAX_UPSTREAM_BODY_BYTES);
        if (body.over()) {
            tooLarge();
        }
    }

    @Override
    void body(ByteBuffer bytes) {
        if (!body.add(bytes)) {
            tooLarge();
        }
    }

    @Override
    void end() {
        ctx.upstreamAnswered();
        answer.done(body.bytes());
    }

    @Override
    void failure(IOException cause, boolean deadlinePassed) {
        ctx.upstreamAnswered();
        answer.failed(Relay.readFailure(cause, deadlinePassed).exception());
    }

    @Override
    void failed(GatewayException error) {
        answer.failed(error);
    }

    private void tooLarge() {
        abort();
        failure(new IOException("upstream response body exceeds " + Relay.MAX_UPSTREAM_BODY_BYTES + " bytes"), false);
    }
}
