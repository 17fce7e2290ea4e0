package io.llmgw.core.spi;

import io.llmgw.core.model.CanonicalResponse;

/** An upstream call for a canonical (translated) request, and how to read the upstream's answer into canonical form. */
public interface CanonicalCall extends UpstreamCall {
    /** Reads the streamed answer's frames into canonical events; a fresh one per call. */
    UpstreamStreamDecoder streamDecoder();

    /** Reads a whole (non-streamed) answer. */
    CanonicalResponse decode(byte[] body);
}
