package io.llmgw.core.auth;

import io.llmgw.core.config.AuthMode;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.error.GatewayException;
import io.llmgw.core.http.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Checks the key a client presents against the gateway keys and decides which upstream
 * credential the request uses, per {@link AuthMode}.
 */
public final class Authenticator {
    private final AuthMode mode;
    private final List<String> headers;
    private final byte[][] keyDigests;
    private final JwtAuthenticator jwt;

    public Authenticator(GatewayConfig.Auth auth) {
        this(auth, null);
    }

    /** @param jwt verifies bearer tokens ({@code auth.jwt}), or null when none are accepted */
    public Authenticator(GatewayConfig.Auth auth, JwtAuthenticator jwt) {
        this.mode = auth.mode();
        this.headers = auth.headers();
        this.keyDigests = auth.keys().stream().map(Authenticator::digest).toArray(byte[][]::new);
        this.jwt = jwt;
    }

    /** The credential to use upstream; throws a 401 {@link GatewayException} when there is none. */
    public Credential authenticate(Headers requestHeaders) {
        String presented = presentedKey(requestHeaders);
        if (presented == null) {
            throw unauthenticated("Missing API key: send it as " + describeHeaders() + ".");
        }
        if (presentsToken(presented)) {
            return jwt.authenticate(presented);  // a token is never forwarded upstream, whatever the mode
        }
        boolean gatewayKey = isGatewayKey(presented);
        return switch (mode) {
            case GATEWAY -> {
                if (!gatewayKey) {
                    throw unauthenticated("Invalid API key.");
                }
                yield new Credential(null, Secrets.mask(presented));
            }
            case CLIENT -> new Credential(presented, Secrets.mask(presented));
            case HYBRID -> new Credential(gatewayKey ? null : presented, Secrets.mask(presented));
        };
    }

    /** True only for a valid gateway key; used by admin endpoints whatever the mode. */
    public boolean isGatewayKey(Headers requestHeaders) {
        String presented = presentedKey(requestHeaders);
        return presented != null && isGatewayKey(presented);
    }

    /** Whether the request carries any key in an accepted header. */
    public boolean presentsKey(Headers requestHeaders) {
        return presentedKey(requestHeaders) != null;
    }

    /** Whether the request's key is a JWT that {@code auth.jwt} decides about (not a gateway key gone stale). */
    public boolean presentsToken(Headers requestHeaders) {
        String presented = presentedKey(requestHeaders);
        return presented != null && presentsToken(presented);
    }

    private boolean presentsToken(String presented) {
        return jwt != null && JwtAuthenticator.looksLikeJwt(presented);
    }

    public boolean hasGatewayKeys() {
        return keyDigests.length > 0;
    }

    /** The key the request presents in an accepted header, or null. */
    public String presentedKey(Headers requestHeaders) {
        for (String header : headers) {
            String value = requestHeaders.first(header);
            if (value == null) {
                continue;
            }
            value = value.trim();
            if (header.equals("authorization")) {
                if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                    value = value.substring(7).trim();
                } else {
                    continue;
                }
            }
            if (!value.isEmpty()) {
                return value;
            }
        }
        return null;
    }

    /** Compares digests in constant time and checks every key, so timing reveals neither. */
    private boolean isGatewayKey(String presented) {
        byte[] digest = digest(presented);
        boolean match = false;
        for (byte[] keyDigest : keyDigests) {
            match |= MessageDigest.isEqual(digest, keyDigest);
        }
        return match;
    }

    private String describeHeaders() {
        return String.join(", ", headers.stream()
                .map(h -> h.equals("authorization") ? "'Authorization: Bearer <key>'" : "'" + h + ": <key>'")
                .toList());
    }

    private static GatewayException unauthenticated(String message) {
        return GatewayError.of(ErrorKind.AUTHENTICATION, message, "invalid_api_key").exception();
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
