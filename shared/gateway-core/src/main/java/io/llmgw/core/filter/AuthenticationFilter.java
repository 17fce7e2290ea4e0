package io.llmgw.core.filter;

import io.llmgw.core.auth.Authenticator;
import io.llmgw.core.auth.Credential;
import io.llmgw.core.error.GatewayException;
import io.llmgw.core.telemetry.GatewayEvents;
import io.llmgw.core.web.Exchange;

/**
 * Who is calling, before any work is done for them: a 401 in the client's dialect without a valid
 * key; otherwise the credential (which key goes upstream) travels on with the exchange. Endpoints
 * that need no key (probes, refusals) pass without one.
 */
public final class AuthenticationFilter implements Filter.Check {
    private final Authenticator authenticator;
    private final GatewayEvents events;

    public AuthenticationFilter(Authenticator authenticator, GatewayEvents events) {
        this.authenticator = authenticator;
        this.events = events;
    }

    @Override
    public Exchange check(Exchange exchange) {
        if (!exchange.endpoint().authenticated(exchange.request())) {
            return exchange;
        }
        Credential credential;
        try {
            credential = authenticator.authenticate(exchange.request().headers());
        } catch (GatewayException e) {
            if (authenticator.presentsKey(exchange.request().headers()) && !authenticator.presentsToken(exchange.request().headers())) {
                events.unknownGatewayKey();  // perhaps a rotated key the platform has not loaded yet
            }
            throw e;
        }
        exchange.ctx().clientKey(credential.clientLabel());
        exchange.ctx().identity(credential.identity());
        return exchange.withCredential(credential);
    }
}
