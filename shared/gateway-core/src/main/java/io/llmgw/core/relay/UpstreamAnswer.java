package io.llmgw.core.relay;

import io.llmgw.core.error.GatewayException;
import io.llmgw.core.http.BodyGather;
import io.llmgw.core.http.Headers;
import io.llmgw.core.spi.UpstreamCall;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.upstream.UpstreamExchange;
import io.llmgw.core.upstream.UpstreamFailures;
import io.llmgw.core.upstream.UpstreamListener;
import io.llmgw.core.upstream.UpstreamRequest;
import io.llmgw.core.upstream.UpstreamResponse;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What every upstream answer the relay reads has in common: a failure before the head, and an error
 * status whose body (bounded) is read into the provider's error. The rest — a successful answer's
 * head, body, end and failure — is the subclass's: a whole body ({@link WholeAnswer}) or a stream
 * ({@link OpenStream}).
 */
abstract class UpstreamAnswer implements UpstreamListener {
    private static final int MAX_ERROR_BODY_BYTES = 1024 * 1024;

    final UpstreamRequest request;
    final UpstreamCall call;
    final boolean gatewayKey;
    final RequestContext ctx;
    /** Set with the head; null until then. */
    UpstreamExchange exchange;
    /** The transport has said its last (an end or a failure): nothing is asked of the exchange any more. */
    boolean transportDone;
    private int errorStatus;
    private Headers errorHeaders;
    private BodyGather errorBody;

    UpstreamAnswer(UpstreamRequest request, UpstreamCall call, boolean gatewayKey, RequestContext ctx) {
        this.request = request;
        this.call = call;
        this.gatewayKey = gatewayKey;
        this.ctx = ctx;
    }

    @Override
    public final void onHead(UpstreamExchange newExchange, int status, Headers headers) {
        exchange = newExchange;
        if (status >= 300) {
            errorStatus = status;
            errorHeaders = headers;
            errorBody = new BodyGather(UpstreamResponse.declaredLength(headers), MAX_ERROR_BODY_BYTES);
            if (errorBody.over()) {
                refuse(new byte[0]);  // an error body that large is not read: the provider reads the status alone
            }
            return;
        }
        head(headers);
    }

    @Override
    public final void onBody(ByteBuffer bytes) {
        if (errorBody == null) {
            body(bytes);
        } else if (!errorBody.add(bytes)) {
            refuse(new byte[0]);
        }
    }

    @Override
    public final void onEnd() {
        transportDone = true;
        if (errorBody == null) {
            end();
        } else {
            refuse(errorBody.bytes());
        }
    }

    @Override
    public final void onFailure(IOException cause, boolean deadlinePassed) {
        transportDone = true;
        if (exchange == null) {
            ctx.upstreamAnswered();
            failed(UpstreamFailures.beforeHead(cause, request, deadlinePassed));
        } else if (errorBody != null) {
            refuse(new byte[0]);  // an error whose body was cut off: the provider reads the status alone
        } else {
            failure(cause, deadlinePassed);
        }
    }

    /** Asks the transport for nothing more and drops the connection, unless it is done already. */
    final void abort() {
        if (!transportDone) {
            transportDone = true;
            exchange.abort();
        }
    }

    private void refuse(byte[] body) {
        abort();
        ctx.upstreamAnswered();
        failed(call.error(errorStatus, errorHeaders, body, gatewayKey).exception());
    }

    /** A successful answer's head. */
    abstract void head(Headers headers);

    abstract void body(ByteBuffer bytes);

    abstract void end();

    /** The successful answer's body was cut off (the connection lost, the request timeout passed). */
    abstract void failure(IOException cause, boolean deadlinePassed);

    /** The call failed before anything of it reached the client: the attempt loop may try elsewhere. */
    abstract void failed(GatewayException error);
}
