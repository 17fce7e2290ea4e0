package io.llmgw.core.spi;

import io.llmgw.core.error.GatewayError;
import io.llmgw.core.model.StreamEvent;
import io.llmgw.core.stream.SseEvent;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What every {@link UpstreamStreamDecoder} keeps besides its wire's own state: how the wire's first
 * event can be an error, whether the stop reason has come (after it, an end of stream without the
 * wire's end marker loses nothing the client needs), and why the stream failed.
 */
public abstract class AbstractStreamDecoder implements UpstreamStreamDecoder {
    private final Function<SseEvent, GatewayError> errorBeforeStart;
    private boolean finished;
    private GatewayError failure;

    /** @param errorBeforeStart the wire's reading of a first event, as {@link #errorBeforeStart} describes */
    protected AbstractStreamDecoder(Function<SseEvent, GatewayError> errorBeforeStart) {
        this.errorBeforeStart = errorBeforeStart;
    }

    @Override
    public final GatewayError errorBeforeStart(SseEvent first) {
        return errorBeforeStart.apply(first);
    }

    /** Passes on the stop reason, which makes the answer complete. */
    protected final void finish(StreamEvent.Finished stop, Consumer<StreamEvent> out) {
        finished = true;
        out.accept(stop);
    }

    /** Whether the stop reason has been passed on. */
    protected final boolean finished() {
        return finished;
    }

    /** Keeps why the stream failed, for {@link #failure()}; {@code return fail(error);} in {@link #decode}. */
    protected final Progress fail(GatewayError error) {
        failure = error;
        return Progress.FAILED;
    }

    /** Complete once the stop reason came, whether or not the wire's end marker followed. */
    @Override
    public final boolean completeAtEof() {
        return finished;
    }

    @Override
    public final GatewayError failure() {
        return failure;
    }
}
