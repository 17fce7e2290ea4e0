package io.llmgw.core.relay;

import io.llmgw.core.error.GatewayError;
import io.llmgw.core.model.StreamEvent;

/**
 * A client dialect's writer for a canonical event stream; one instance per response, writing its
 * frames to the response it was made for. Decides its own block/item boundaries.
 */
public interface StreamEncoder {
    void onEvent(StreamEvent event);

    /** The upstream finished normally: write the closing frames (stop reason, usage, end marker). */
    void onComplete();

    /** The upstream failed after the stream started: write the dialect's in-stream error. */
    void onError(GatewayError error);

    /** What to send while the upstream is silent (Anthropic's ping event, an SSE comment), or null. */
    default byte[] keepAliveFrame() {
        return null;
    }
}
