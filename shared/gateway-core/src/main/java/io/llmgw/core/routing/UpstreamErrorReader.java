package io.llmgw.core.routing;

import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.Headers;

/** Reads an upstream's error response (status, headers, body) in that upstream's own format. */
@FunctionalInterface
public interface UpstreamErrorReader {
    GatewayError read(int status, Headers headers, byte[] body);
}
