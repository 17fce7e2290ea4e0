package io.llmgw.core.filter;

import io.llmgw.core.http.Headers;

import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import java.util.List;
import java.util.Set;

/**
 * Request header values the gateway can safely use. Any value may hold Latin-1 text (HTTP's
 * obs-text) but no control characters; values the gateway forwards upstream or echoes back (keys,
 * Anthropic's version and beta headers, the CORS request-headers list) must be visible ASCII, since
 * upstream HTTP clients refuse anything else. A bad value is the client's error, a 400 naming the
 * header — never its value, which may be a key.
 */
public final class HeaderValues {
    private static final Set<String> FORWARDED = Set.of("anthropic-version", "anthropic-beta", "access-control-request-headers",
            "authorization", "x-api-key", "api-key");

    private HeaderValues() {}

    /** @param keyHeaders the headers a client key is accepted from (also forwarded upstream in client mode) */
    public static void check(Headers headers, List<String> keyHeaders) {
        headers.forEach((name, value) -> {
            boolean forwarded = FORWARDED.contains(name) || keyHeaders.contains(name);
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                boolean control = (c < 0x20 && c != '\t') || c == 0x7f;
                if (control || c > 0xff || (forwarded && c > 0x7e)) {
                    throw GatewayError.of(ErrorKind.INVALID_REQUEST, "The '" + name + "' header has characters HTTP does not "
                            + "allow there" + (forwarded ? " (it must be ASCII)" : "") + ".", "invalid_header").exception();
                }
            }
        });
    }
}
