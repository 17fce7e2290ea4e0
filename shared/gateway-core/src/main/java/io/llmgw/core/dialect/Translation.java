package io.llmgw.core.dialect;

import io.llmgw.core.http.Headers;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.relay.StreamEncoder;
import io.llmgw.core.web.ClientResponse;

/** A request on the translated path: the canonical request, and how this dialect answers it. */
public interface Translation {
    CanonicalRequest request();

    /** The writer of the client's stream. */
    StreamEncoder streamEncoder(ClientResponse out);

    /** The client's answer for a whole upstream answer. */
    byte[] body(CanonicalResponse answer);

    /**
     * An answer the gateway gives itself, without an upstream call (Anthropic's count_tokens for an
     * upstream that cannot count), or null.
     */
    default Local local() {
        return null;
    }

    /** @param headers more response headers, or null */
    record Local(byte[] body, Headers headers) {}
}
