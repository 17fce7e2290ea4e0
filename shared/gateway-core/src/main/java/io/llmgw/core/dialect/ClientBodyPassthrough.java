package io.llmgw.core.dialect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.routing.TokenEstimate;
import io.llmgw.core.web.GatewayRequest;
import java.io.IOException;

/**
 * What every dialect's passthrough shares: whether the client asked for a stream, the request's
 * size estimated from the client's bytes, an answer that names its model at {@code "model"}, and
 * the client's request — its bytes and its parsed body. A dialect adds how it fits the body to a
 * deployment and how it reads the upstream's answer; it reads the request through {@link #json()}
 * and {@link #raw()} rather than keeping references of its own, so that once the parsed body is let
 * go here ({@link #release}) and the request's bytes by the endpoint, nothing holds either.
 */
public abstract class ClientBodyPassthrough implements Passthrough {
    private final boolean stream;
    private final int tokens;
    private final GatewayRequest request;
    private ObjectNode body;

    protected ClientBodyPassthrough(boolean stream, ObjectNode body, GatewayRequest request) {
        this.stream = stream;
        this.body = body;
        this.request = request;
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
    public String modelField() {
        return "model";
    }

    @Override
    public void release() {
        body = null;
    }

    /** The client's body as parsed; not to be changed (each attempt fits a copy). */
    protected final ObjectNode json() {
        if (body == null) {
            throw new IllegalStateException("the request was let go when its stream was committed");
        }
        return body;
    }

    /** The client's bytes, as sent. */
    protected final byte[] raw() {
        return request.body();
    }

    /**
     * The client's bytes with {@code model} in place of the top-level model name and every other
     * byte kept (the same array when the name is already {@code model}), or null when the body names
     * no model. Sending these rather than a rewritten tree keeps the client's exact form and costs
     * neither a copy of the tree nor a second serialisation.
     */
    protected final byte[] rawWithModel(String model) {
        try {
            return Json.replaceTopLevelString(raw(), "model", model);
        } catch (IOException e) {
            return null;  // parsed once already, so this cannot happen; the caller's tree path serves anyway
        }
    }

    protected final GatewayRequest request() {
        return request;
    }
}
