package io.llmgw.core.provider;

import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.Headers;
import io.llmgw.core.http.UpstreamRequest;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.protocol.UpstreamStreamDecoder;
import io.llmgw.core.routing.Deployment;

/**
 * Everything the gateway needs to serve a canonical request from one kind of upstream: the HTTP
 * call, and readers for its stream, its body and its errors. One instance per provider type.
 */
public interface UpstreamAdapter {
    /** @param key the upstream credential to send (configured or forwarded), or null for none */
    UpstreamRequest request(CanonicalRequest request, Deployment deployment, String key, String requestId);

    UpstreamStreamDecoder streamDecoder(CanonicalRequest request);

    CanonicalResponse decodeResponse(byte[] body, CanonicalRequest request);

    /**
     * Reads an error response.
     *
     * @param forwardedKey  the client's own key if it was sent, to mask in messages
     * @param configuredKey the gateway's key if it was sent, to mask in messages
     */
    GatewayError error(int status, Headers headers, byte[] body, String forwardedKey, String configuredKey);
}
