package io.llmgw.core.dialect;

import io.llmgw.core.error.ErrorFormat;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.protocol.UpstreamEvents;
import io.llmgw.core.relay.StreamTranslator;
import io.llmgw.core.spi.Progress;
import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.web.ClientResponse;
import java.util.function.Function;

/**
 * What a stream relayed to a client in its upstream's own dialect does besides relaying: the wire's
 * first-event errors answered as plain HTTP errors, failures written as the dialect's in-stream error
 * frame, an end without the end marker as a truncation, and the dialect's keep-alive frame.
 */
public abstract class PassthroughStream implements StreamTranslator {
    private final Function<SseEvent, GatewayError> errorBeforeStart;
    private final ErrorFormat errors;
    private final byte[] keepAlive;

    /**
     * @param errorBeforeStart the wire's reading of a first event, as {@link #errorBeforeStart} describes
     * @param errors           the dialect's error format, for the in-stream error frame
     * @param keepAlive        what to send while the upstream is silent
     */
    protected PassthroughStream(Function<SseEvent, GatewayError> errorBeforeStart, ErrorFormat errors, byte[] keepAlive) {
        this.errorBeforeStart = errorBeforeStart;
        this.errors = errors;
        this.keepAlive = keepAlive;
    }

    @Override
    public final GatewayError errorBeforeStart(SseEvent first) {
        return errorBeforeStart.apply(first);
    }

    /** The upstream's stream ended without its end marker: the answer is cut short. */
    @Override
    public Progress onEnd(ClientResponse out) {
        return fail(UpstreamEvents.truncated(), out);
    }

    @Override
    public final void onFailure(GatewayError error, ClientResponse out) {
        out.write(errors.streamFrame(error));
    }

    /** Writes the error frame; {@code return fail(error, out);} in {@link #onEvent}. */
    protected final Progress fail(GatewayError error, ClientResponse out) {
        onFailure(error, out);
        return Progress.FAILED;
    }

    @Override
    public final byte[] keepAliveFrame() {
        return keepAlive;
    }
}
