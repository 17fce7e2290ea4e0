package io.llmgw.core.web;

import io.llmgw.core.http.Headers;
import java.util.List;

/** Security headers for every response, and CORS for the configured origins only. */
public final class HttpPolicy {
    private static final String ALLOWED_METHODS = "GET, POST, DELETE, HEAD, OPTIONS";
    private static final String EXPOSED_HEADERS = "x-request-id, x-gateway-overhead-ms, retry-after, retry-after-ms";

    private static final Headers SECURITY = Headers.of(
            "x-content-type-options", "nosniff",
            "x-frame-options", "DENY",
            "referrer-policy", "no-referrer",
            "content-security-policy", "default-src 'none'; frame-ancestors 'none'",
            "strict-transport-security", "max-age=31536000; includeSubDomains");

    private final List<String> allowedOrigins;

    public HttpPolicy(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    /** The headers every response to this request carries. */
    public Headers commonHeaders(Headers request) {
        Headers headers = SECURITY.copy();  // one array copied per response, not five names checked and added
        String origin = request.first("origin");
        if (origin != null && originAllowed(origin)) {
            headers.add("access-control-allow-origin", origin);
            headers.add("access-control-expose-headers", EXPOSED_HEADERS);
            headers.add("vary", "Origin");
        }
        return headers;
    }

    public boolean originAllowed(String origin) {
        return allowedOrigins.contains("*") || allowedOrigins.contains(origin);
    }

    /** Headers answering a CORS preflight from an allowed origin. */
    public Headers preflightHeaders(Headers request) {
        String requested = request.first("access-control-request-headers");
        return Headers.of(
                "access-control-allow-methods", ALLOWED_METHODS,
                "access-control-allow-headers", requested == null ? "authorization, content-type" : requested,
                "access-control-max-age", "600");
    }
}
