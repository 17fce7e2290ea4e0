package io.llmgw.core.provider;

import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.Headers;
import io.llmgw.core.http.UpstreamRequest;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.protocol.UpstreamStreamDecoder;
import io.llmgw.core.routing.Deployment;
import java.net.URI;

/**
 * Everything the gateway needs to serve a canonical request from one kind of upstream: the HTTP
 * call, and readers for its stream, its body and its errors; and what active health checks ask of
 * every provider type. One instance per provider type.
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

    /** Where to list the provider's models: a cheap call for active health checks, or null when there is none. */
    URI modelsUri(GatewayConfig.Provider provider);

    /** Adds the provider's authentication (and API version) headers for {@code key}; a null key sends none. */
    void authorize(Headers headers, String key);
}
