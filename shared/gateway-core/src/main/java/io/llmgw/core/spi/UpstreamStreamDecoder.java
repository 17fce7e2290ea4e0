package io.llmgw.core.spi;

import io.llmgw.core.error.GatewayError;
import io.llmgw.core.model.StreamEvent;
import io.llmgw.core.stream.SseEvent;
import java.util.function.Consumer;

/** Reads one upstream wire format's SSE events into canonical {@link StreamEvent}s; one instance per response. */
public interface UpstreamStreamDecoder {
    /** An error carried by the first event, to answer as a plain HTTP error; null when the event is content. */
    GatewayError errorBeforeStart(SseEvent first);

    /** Decodes one event. On {@link Progress#FAILED}, {@link #failure()} tells why. */
    Progress decode(SseEvent event, Consumer<StreamEvent> out);

    /** Whether the stream carried a complete answer when the upstream closed it without an end marker. */
    boolean completeAtEof();

    GatewayError failure();
}
