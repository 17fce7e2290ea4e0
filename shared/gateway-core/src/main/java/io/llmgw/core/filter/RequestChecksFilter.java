package io.llmgw.core.filter;

import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.Headers;
import io.llmgw.core.http.PathEncoding;
import io.llmgw.core.web.Endpoint;
import io.llmgw.core.web.Exchange;
import java.util.List;
import java.util.TreeSet;

/**
 * What every request must be before anything reads it: a path and query whose percent-encoding is
 * well formed, header bytes HTTP allows (ASCII where the gateway forwards or echoes them), a route
 * that exists (404) for a method it takes (405). Each failure is a 4xx in the client's dialect.
 */
public final class RequestChecksFilter implements Filter.Check {
    private final List<String> keyHeaders;

    /** @param keyHeaders the headers a client key is accepted from (forwarded upstream in client mode) */
    public RequestChecksFilter(List<String> keyHeaders) {
        this.keyHeaders = keyHeaders;
    }

    @Override
    public Exchange check(Exchange exchange) {
        String path = exchange.request().path();
        String query = exchange.request().rawQuery();
        if (!PathEncoding.wellFormed(path) || (query != null && !PathEncoding.wellFormed(query))) {
            throw GatewayError.of(ErrorKind.INVALID_REQUEST, "The request path or query has malformed percent-encoding.",
                    "invalid_path").exception();
        }
        HeaderValues.check(exchange.request().headers(), keyHeaders);
        String method = exchange.request().method();
        Endpoint endpoint = exchange.endpoint();
        if (endpoint == null && !method.equals("OPTIONS")) {
            throw GatewayError.of(ErrorKind.NOT_FOUND, "Unknown route: " + method + " " + path, "unknown_url").exception();
        }
        if (endpoint != null && !method.equals("OPTIONS") && !endpoint.methods().contains(method)
                && !(method.equals("HEAD") && endpoint.methods().contains("GET"))) {
            String allowed = String.join(", ", new TreeSet<>(endpoint.methods()));
            throw new GatewayError(ErrorKind.METHOD_NOT_ALLOWED, 405, "Method " + method + " is not allowed here; use " + allowed + ".",
                    "method_not_allowed", null, null, Headers.of("allow", allowed)).exception();
        }
        return exchange;
    }
}
