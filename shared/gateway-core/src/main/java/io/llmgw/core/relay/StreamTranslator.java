package io.llmgw.core.relay;

import io.llmgw.core.error.GatewayError;
import io.llmgw.core.spi.Progress;
import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.web.ClientResponse;

/**
 * Turns one upstream event stream into client frames; one instance per request. Called on the
 * request's thread, in order, so implementations keep plain mutable state.
 */
public interface StreamTranslator {
    /**
     * Looks at the first upstream event before the client's stream is committed. An error
     * returned here is answered as a plain HTTP error instead of a stream.
     */
    GatewayError errorBeforeStart(SseEvent first);

    /** Handles one upstream event, writing whatever client frames it yields. */
    Progress onEvent(SseEvent event, ClientResponse out);

    /**
     * The upstream stream ended (EOF) before {@link #onEvent} reported FINISHED. Write the
     * closing frames if the content is complete, or an error frame if it is not.
     */
    Progress onEnd(ClientResponse out);

    /** The upstream failed after the stream started: write the in-stream error frame. */
    void onFailure(GatewayError error, ClientResponse out);

    /** A frame to send while the upstream is silent (a ping or an SSE comment), or null for none. */
    default byte[] keepAliveFrame() {
        return null;
    }
}
