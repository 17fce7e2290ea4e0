package io.llmgw.core.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.CachingJWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSetUnavailableException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import io.llmgw.core.config.AccessConfig;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.error.GatewayException;
import java.net.MalformedURLException;
import java.security.Key;
import java.text.ParseException;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies OpenID Connect / JWT bearer tokens ({@code auth.jwt}) with Nimbus JOSE+JWT: the
 * signature against the issuer's published keys (JWKS), then issuer, audience, expiry and
 * not-before with the configured clock skew. A valid token becomes an {@link Identity} named by
 * its identity claim; its request uses the configured upstream keys, as a gateway key's does.
 *
 * <p>Every refusal is a 401 saying what class of problem it was, never echoing the token. Keys the
 * issuer cannot deliver (its JWKS unreachable, nothing cached) are a retryable 503 instead: the
 * token may be fine, and a client told "unauthorized" would not retry.
 */
public final class JwtAuthenticator {
    /**
     * Longer tokens are refused before anything is decoded. Entra ID puts at most 200 groups in a
     * token (about 11 KB) before switching to an overage claim; 16 KB leaves room for that.
     */
    static final int MAX_TOKEN_CHARS = 16 * 1024;
    /** The JWKS endpoint gets this long to connect and to answer; a request waits for it at most once per refresh. */
    private static final int JWKS_TIMEOUT_MILLIS = 3_000;
    /** Entra ID's key set is about 15 KB; a JWKS endpoint sending more than this is not one. */
    private static final int JWKS_MAX_BYTES = 128 * 1024;
    private static final long JWKS_CACHE_MILLIS = 5 * 60_000;
    /**
     * Nimbus's rate limit allows two fetches per interval: one for the regular refresh, one for an
     * unknown {@code kid}. So tokens with made-up key ids cost the issuer at most one extra fetch
     * per interval, not one per request.
     */
    private static final long JWKS_MIN_REFRESH_INTERVAL_MILLIS = 30_000;
    private static final int MAX_NAME_CHARS = 128;
    private static final int MAX_TEAM_CHARS = 64;

    private final AccessConfig.Jwt config;
    private final Set<JWSAlgorithm> algorithms;
    /** Configured in the constructor, then only read: one processor serves every request thread. */
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    /** Whether the key set was ever fetched: a refresh denied by the rate limit means an unknown key, not an outage. */
    private volatile boolean keysLoaded;

    public JwtAuthenticator(AccessConfig.Jwt config) {
        this.config = config;
        this.algorithms = config.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toUnmodifiableSet());
        JWKSource<SecurityContext> published;
        try {
            published = JWKSourceBuilder.<SecurityContext>create(config.jwksUrl().toURL(),
                            new DefaultResourceRetriever(JWKS_TIMEOUT_MILLIS, JWKS_TIMEOUT_MILLIS, JWKS_MAX_BYTES))
                    .cache(JWKS_CACHE_MILLIS, JWKS_TIMEOUT_MILLIS * 2L, event -> {
                        if (event instanceof CachingJWKSetSource.RefreshCompletedEvent<?>) {
                            keysLoaded = true;
                        }
                    })
                    .refreshAheadCache(false)  // no background threads: a request refreshes an expired set (Lambda has no idle time)
                    .rateLimited(JWKS_MIN_REFRESH_INTERVAL_MILLIS)
                    .outageTolerant(true)      // the last keys fetched stay usable for a while if the endpoint goes down
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("auth.jwt.jwks_url is not a URL", e);  // checked when the configuration loads
        }
        JWSVerificationKeySelector<SecurityContext> byHeader = new JWSVerificationKeySelector<>(algorithms, published);
        JWSKeySelector<SecurityContext> keys = (header, context) -> {
            List<Key> found = byHeader.selectJWSKeys(header, context);
            if (found.isEmpty()) {
                throw new NoMatchingKey();
            }
            return found;
        };
        processor.setJWSKeySelector(keys);
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"),
                new JOSEObjectType("application/at+jwt"), null));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(new HashSet<>(config.audiences()),
                new JWTClaimsSet.Builder().issuer(config.issuer()).build(), Set.of("exp"), Set.of());
        claims.setMaxClockSkew((int) config.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(explained(claims));
    }

    /**
     * Whether {@code value} has a compact JWT's shape: three base64url parts (the last empty for
     * {@code alg: none}). Gateway and provider keys have no dots, so nothing else matches.
     */
    public static boolean looksLikeJwt(String value) {
        int dots = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '.') {
                if (++dots > 2 || i == 0 || value.charAt(i - 1) == '.') {
                    return false;
                }
            } else if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return dots == 2;
    }

    /** The credential for a verified token; a 401 (or a 503 when the issuer's keys cannot be had) otherwise. */
    public Credential authenticate(String token) {
        if (token.length() > MAX_TOKEN_CHARS) {
            throw refused("The bearer token is longer than " + MAX_TOKEN_CHARS + " characters; it was not read.");
        }
        JWT parsed;
        try {
            parsed = JWTParser.parse(token);
        } catch (ParseException e) {
            throw refused("The bearer token is not a well-formed JWT.");
        }
        if (!(parsed instanceof SignedJWT signed)) {
            throw refused("Unsigned tokens (alg: none) are not accepted.");
        }
        JWSAlgorithm alg = signed.getHeader().getAlgorithm();
        if (!algorithms.contains(alg)) {
            throw refused("The token's signing algorithm is not accepted here; accepted: " + String.join(", ", config.algorithms()) + ".");
        }
        if (!config.issuer().equals(unverifiedIssuer(signed))) {
            // Refused before any key lookup, so tokens of another issuer (another tenant) cause no JWKS fetch.
            throw refused("The token's issuer is not the one this gateway accepts.");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(signed, null);
        } catch (Refused e) {
            throw refused(e.getMessage());
        } catch (NoMatchingKey e) {
            throw unknownKey();
        } catch (RateLimitReachedException e) {
            if (keysLoaded) {
                throw unknownKey();  // the refresh for an unknown kid was used up this interval
            }
            throw keysUnavailable();
        } catch (KeySourceException e) {
            Log.LOG.warn("auth.jwt: the signing keys at {} could not be fetched: {}", config.jwksUrl(),
                    e instanceof JWKSetUnavailableException ? e.getMessage() : e.getClass().getSimpleName());
            throw keysUnavailable();
        } catch (BadJWSException e) {
            throw refused("The token's signature does not verify.");
        } catch (BadJOSEException e) {
            throw refused("The token is not in an accepted form (its typ must be JWT or at+jwt, its claims a JSON object).");
        } catch (JOSEException e) {
            throw refused("The token could not be verified.");
        }
        return credential(claims);
    }

    private Credential credential(JWTClaimsSet claims) {
        Object subject = claims.getClaim(config.identityClaim());
        String name = subject instanceof String || subject instanceof Number ? bounded(subject.toString(), MAX_NAME_CHARS) : "";
        if (name.isBlank()) {
            throw refused("The token has no '" + config.identityClaim() + "' claim naming the caller.");
        }
        String team = null;
        if (config.teamClaim() != null) {
            Object value = claims.getClaim(config.teamClaim());
            if (value instanceof List<?> list) {
                value = list.stream().filter(String.class::isInstance).findFirst().orElse(null);
            }
            if (value instanceof String text && !text.isBlank()) {
                team = bounded(text, MAX_TEAM_CHARS);
            }
        }
        Identity identity = new Identity(name, team, "jwt", config.policy());
        return new Credential(null, "jwt:" + name, identity);
    }

    /** Nimbus decides; this only names, from the claims it refused, which check failed (in the order it checks them). */
    private JWTClaimsSetVerifier<SecurityContext> explained(DefaultJWTClaimsVerifier<SecurityContext> verifier) {
        return (claims, context) -> {
            try {
                verifier.verify(claims, context);
            } catch (ExpiredJWTException e) {
                throw new Refused("The token has expired.");
            } catch (BadJWTException e) {
                List<String> audience = claims.getAudience();
                if (audience == null || audience.stream().noneMatch(config.audiences()::contains)) {
                    throw new Refused("The token's audience is not this gateway.");
                }
                if (claims.getExpirationTime() == null) {
                    throw new Refused("The token has no expiry (exp); only tokens that expire are accepted.");
                }
                if (!config.issuer().equals(claims.getIssuer())) {
                    throw new Refused("The token's issuer is not the one this gateway accepts.");
                }
                Date notBefore = claims.getNotBeforeTime();
                if (notBefore != null) {
                    throw new Refused("The token is not valid yet (nbf).");
                }
                throw new Refused("The token's claims are not accepted.");
            }
        };
    }

    private static String unverifiedIssuer(SignedJWT signed) {
        try {
            return signed.getJWTClaimsSet().getIssuer();
        } catch (ParseException e) {
            return null;  // claims that do not parse fail verification below with a clear message
        }
    }

    /** At most {@code max} characters, control characters replaced: the value reaches logs and metric labels. */
    private static String bounded(String value, int max) {
        String cut = value.length() > max ? value.substring(0, max) : value;
        return cut.codePoints().map(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    private static GatewayException refused(String message) {
        return GatewayError.of(ErrorKind.AUTHENTICATION, message, "invalid_token").exception();
    }

    private static GatewayException unknownKey() {
        return refused("The token is signed with a key the issuer does not publish (unknown kid).");
    }

    private static GatewayException keysUnavailable() {
        return new GatewayError(ErrorKind.OVERLOADED, 503, "The identity provider's signing keys could not be fetched, so the token "
                + "cannot be checked now; retry shortly.", "identity_provider_unavailable", null, null, null).exception();
    }

    /** A claims check failed; the message says which, for the client. */
    private static final class Refused extends BadJWTException {
        Refused(String message) {
            super(message);
        }
    }

    /** No published key matches the token's header, even after the refresh an unknown kid triggers. */
    private static final class NoMatchingKey extends KeySourceException {
        NoMatchingKey() {
            super("no matching key");
        }
    }

    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(JwtAuthenticator.class);
    }
}
