package io.llmgw.core.auth;

import io.llmgw.core.config.AccessConfig.VirtualKey;
import io.llmgw.core.config.AuthMode;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.error.GatewayException;
import io.llmgw.core.http.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.List;

/**
 * Checks the key a client presents against the gateway keys and decides which upstream
 * credential the request uses, per {@link AuthMode}.
 */
public final class Authenticator {
    private static final MessageDigest SHA_256 = sha256();
    private final AuthMode mode;
    private final List<String> headers;
    private final byte[][] keyDigests;
    private final List<VirtualKey> virtualKeys;
    private final JwtAuthenticator jwt;
    private final Clock clock;

    public Authenticator(GatewayConfig.Auth auth) {
        this(auth, List.of(), null, Clock.systemUTC());
    }

    /** @param jwt verifies bearer tokens ({@code auth.jwt}), or null when none are accepted */
    public Authenticator(GatewayConfig.Auth auth, List<VirtualKey> virtualKeys, JwtAuthenticator jwt, Clock clock) {
        this.mode = auth.mode();
        this.headers = auth.headers();
        this.keyDigests = auth.keys().stream().map(Authenticator::digest).toArray(byte[][]::new);
        this.virtualKeys = virtualKeys;
        this.jwt = jwt;
        this.clock = clock;
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
        byte[] digest = digest(presented);
        VirtualKey virtualKey = mode == AuthMode.CLIENT ? null : virtualKey(digest);
        if (virtualKey != null) {
            if (virtualKey.expires() != null && !clock.instant().isBefore(virtualKey.expires())) {
                throw unauthenticated("This API key expired at " + virtualKey.expires() + "; ask for a new one.");
            }
            Identity identity = new Identity(virtualKey.name(), virtualKey.team(), "virtual_key", virtualKey.policy());
            return new Credential(null, Secrets.mask(presented), identity);
        }
        boolean gatewayKey = isGatewayKey(digest);
        String masked = Secrets.mask(presented);
        Identity identity = Identity.plainKey(masked, digest);
        return switch (mode) {
            case GATEWAY -> {
                if (!gatewayKey) {
                    throw unauthenticated("Invalid API key.");
                }
                yield new Credential(null, masked, identity);
            }
            case CLIENT -> new Credential(presented, masked, identity);
            case HYBRID -> new Credential(gatewayKey ? null : presented, masked, identity);
        };
    }

    /** The virtual key with this digest, comparing against every one in constant time so timing tells nothing. */
    private VirtualKey virtualKey(byte[] digest) {
        VirtualKey found = null;
        for (VirtualKey key : virtualKeys) {
            if (MessageDigest.isEqual(digest, key.keySha256()) && found == null) {
                found = key;
            }
        }
        return found;
    }

    /**
     * True only for a plain gateway key ({@code auth.keys}); admin endpoints use it whatever the
     * mode. Virtual keys and JWT identities call models but are not administrators.
     */
    public boolean isGatewayKey(Headers requestHeaders) {
        String presented = presentedKey(requestHeaders);
        return presented != null && isGatewayKey(digest(presented));
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
        return keyDigests.length > 0 || !virtualKeys.isEmpty();
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
    private boolean isGatewayKey(byte[] digest) {
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
            // a clone of a ready instance: looking the algorithm up in the providers on every request costs more than hashing a key
            return ((MessageDigest) SHA_256.clone()).digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
