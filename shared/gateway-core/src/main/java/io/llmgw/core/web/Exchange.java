package io.llmgw.core.web;

import io.llmgw.core.auth.Credential;
import io.llmgw.core.telemetry.RequestContext;
import java.util.Map;

/**
 * One request being served: what came in, what the route matched, who is calling, and where the
 * answer goes.
 *
 * @param endpoint   the route's endpoint, or null when no route matched
 * @param pathParams named groups of the route's path pattern (e.g. an Azure deployment name)
 * @param credential null until (and unless) the caller authenticated
 */
public record Exchange(GatewayRequest request, Endpoint endpoint, Map<String, String> pathParams, Credential credential,
                       RequestContext ctx, ClientResponse out) {
    public Exchange withCredential(Credential authenticated) {
        return new Exchange(request, endpoint, pathParams, authenticated, ctx, out);
    }
}
