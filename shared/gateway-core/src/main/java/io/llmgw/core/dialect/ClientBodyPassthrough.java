package io.llmgw.core.dialect;

import io.llmgw.core.routing.TokenEstimate;
import io.llmgw.core.web.GatewayRequest;

/**
 * What every dialect's passthrough shares: whether the client asked for a stream, the request's
 * size estimated from the client's bytes, and an answer that names its model at {@code "model"}.
 * A dialect adds how it fits the body to a deployment and how it reads the upstream's answer.
 */
public abstract class ClientBodyPassthrough implements Passthrough {
    private final boolean stream;
    private final int tokens;

    protected ClientBodyPassthrough(boolean stream, GatewayRequest request) {
        this.stream = stream;
        this.tokens = TokenEstimate.ofJsonBytes(request.body().length);
    }

    @Override
    public final boolean stream() {
        return stream;
    }

    @Override
    public final int estimatedTokens() {
        return tokens;
    }

    /** None unless the dialect has a field for it. */
    @Override
    public Integer requestedOutput() {
        return null;
    }

    @Override
    public String[] modelPath() {
        return new String[] {"model"};
    }
}
