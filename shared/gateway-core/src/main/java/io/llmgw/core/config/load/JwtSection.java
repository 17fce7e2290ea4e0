package io.llmgw.core.config.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.config.AccessConfig;
import io.llmgw.core.config.AccessConfig.Policy;
import io.llmgw.core.config.ConfigException;
import io.llmgw.core.config.ConfigValues;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads {@code auth.jwt} (and the {@code GATEWAY_JWT_*} variables over it): which issuer's tokens
 * are accepted, for which audience, verified with the keys published where, and how a token's
 * claims name the caller and its team.
 */
final class JwtSection {
    private static final Set<String> KEYS = Set.of("issuer", "audience", "jwks_url", "algorithms", "clock_skew", "identity_claim",
            "team_claim", "models", "limits", "budget");
    /**
     * Asymmetric algorithms only. {@code none} accepts unsigned tokens; HS256/384/512 verify with a
     * shared secret, and a verifier that takes the issuer's published public key as that secret lets
     * anyone who downloads the JWKS sign tokens.
     */
    static final List<String> ALGORITHMS = List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");
    static final List<String> DEFAULT_ALGORITHMS = List.of("RS256");
    static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    /** A larger tolerance would keep a token working that long after it expired. */
    private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(10);
    private static final String VARIABLES = "GATEWAY_JWT_ISSUER, GATEWAY_JWT_AUDIENCE and GATEWAY_JWT_JWKS_URL";

    private JwtSection() {}

    /** {@code auth.jwt} from the file, or null when absent. */
    static AccessConfig.Jwt read(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new ConfigException("auth.jwt: must be a mapping like { issuer: https://login.microsoftonline.com/<tenant>/v2.0, "
                    + "audience: <application id>, jwks_url: https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys }");
        }
        ConfigFile.checkKeys(node, "auth.jwt", KEYS);
        for (String required : List.of("issuer", "audience", "jwks_url")) {
            if (!node.hasNonNull(required)) {
                throw new ConfigException("auth.jwt." + required + ": required; " + hint(required));
            }
        }
        return new AccessConfig.Jwt(
                issuer(text(node, "issuer"), "auth.jwt.issuer"),
                audiences(list(node.get("audience")), "auth.jwt.audience"),
                jwksUrl(text(node, "jwks_url"), "auth.jwt.jwks_url"),
                node.hasNonNull("algorithms") ? algorithms(list(node.get("algorithms")), "auth.jwt.algorithms") : DEFAULT_ALGORITHMS,
                node.hasNonNull("clock_skew") ? clockSkew(text(node, "clock_skew"), "auth.jwt.clock_skew") : DEFAULT_CLOCK_SKEW,
                node.hasNonNull("identity_claim") ? claim(text(node, "identity_claim"), "auth.jwt.identity_claim") : "sub",
                node.hasNonNull("team_claim") ? claim(text(node, "team_claim"), "auth.jwt.team_claim") : null,
                AccessSection.policy(node, "auth.jwt"));
    }

    /**
     * The {@code GATEWAY_JWT_*} variables over {@code fromFile} (the environment wins, field by
     * field); without a file section the first three are required. Models, limits and budget come
     * from the file only.
     */
    static AccessConfig.Jwt withEnvironment(AccessConfig.Jwt fromFile, Function<String, String> env) {
        String issuer = env.apply("GATEWAY_JWT_ISSUER");
        String audience = env.apply("GATEWAY_JWT_AUDIENCE");
        String jwksUrl = env.apply("GATEWAY_JWT_JWKS_URL");
        String algorithms = env.apply("GATEWAY_JWT_ALGORITHMS");
        String clockSkew = env.apply("GATEWAY_JWT_CLOCK_SKEW");
        String identityClaim = env.apply("GATEWAY_JWT_IDENTITY_CLAIM");
        String teamClaim = env.apply("GATEWAY_JWT_TEAM_CLAIM");
        if (Arrays.asList(issuer, audience, jwksUrl, algorithms, clockSkew, identityClaim, teamClaim).stream().allMatch(v -> v == null)) {
            return fromFile;
        }
        if (fromFile == null && (issuer == null || audience == null || jwksUrl == null)) {
            List<String> missing = new ArrayList<>();
            if (issuer == null) {
                missing.add("GATEWAY_JWT_ISSUER");
            }
            if (audience == null) {
                missing.add("GATEWAY_JWT_AUDIENCE");
            }
            if (jwksUrl == null) {
                missing.add("GATEWAY_JWT_JWKS_URL");
            }
            throw new ConfigException(String.join(", ", missing) + ": not set; JWT authentication needs " + VARIABLES
                    + " together (or auth.jwt in the file)");
        }
        AccessConfig.Jwt base = fromFile != null ? fromFile : new AccessConfig.Jwt(null, null, null, DEFAULT_ALGORITHMS,
                DEFAULT_CLOCK_SKEW, "sub", null, Policy.UNRESTRICTED);
        return new AccessConfig.Jwt(
                issuer != null ? issuer(issuer, "GATEWAY_JWT_ISSUER") : base.issuer(),
                audience != null ? audiences(split(audience), "GATEWAY_JWT_AUDIENCE") : base.audiences(),
                jwksUrl != null ? jwksUrl(jwksUrl, "GATEWAY_JWT_JWKS_URL") : base.jwksUrl(),
                algorithms != null ? algorithms(split(algorithms), "GATEWAY_JWT_ALGORITHMS") : base.algorithms(),
                clockSkew != null ? clockSkew(clockSkew, "GATEWAY_JWT_CLOCK_SKEW") : base.clockSkew(),
                identityClaim != null ? claim(identityClaim, "GATEWAY_JWT_IDENTITY_CLAIM") : base.identityClaim(),
                teamClaim != null ? claim(teamClaim, "GATEWAY_JWT_TEAM_CLAIM") : base.teamClaim(),
                base.policy());
    }

    private static String issuer(String value, String source) {
        String issuer = value.trim();
        if (issuer.isEmpty() || issuer.length() > 512 || !printable(issuer)) {
            throw new ConfigException(source + ": must be the issuer exactly as tokens carry it in 'iss' (printable, at most 512 "
                    + "characters), e.g. https://login.microsoftonline.com/<tenant id>/v2.0 for Entra ID");
        }
        return issuer;
    }

    private static List<String> audiences(List<String> values, String source) {
        Set<String> audiences = new LinkedHashSet<>();
        for (String value : values) {
            String audience = value.trim();
            if (audience.isEmpty() || audience.length() > 512 || !printable(audience)) {
                throw new ConfigException(source + ": '" + value + "' is not an audience; give the value tokens carry in 'aud' "
                        + "(for Entra ID the application (client) id or its api://… URI), or a list of them");
            }
            audiences.add(audience);
        }
        if (audiences.isEmpty()) {
            throw new ConfigException(source + ": holds no audience; " + hint("audience"));
        }
        return List.copyOf(audiences);
    }

    /** Like an upstream URL: http(s) with a host, https unless loopback; a query is allowed (Entra's ?appid=…). */
    private static URI jwksUrl(String value, String source) {
        String text = value.trim();
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new ConfigException(source + ": '" + text + "' is not a URL; " + hint("jwks_url"));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            throw new ConfigException(source + ": '" + text + "' is not an absolute http(s) URL; " + hint("jwks_url"));
        }
        if (uri.getRawUserInfo() != null) {
            throw new ConfigException(source + ": carries credentials in the URL; a JWKS is public, so remove them");
        }
        if (scheme.equals("http") && !ConfigValues.isLoopback(uri.getHost())) {
            throw new ConfigException(source + ": '" + text + "' uses http to a non-loopback host; the keys that decide who may call "
                    + "must come over https (plain http is allowed only for localhost / 127.0.0.1 / ::1)");
        }
        if (uri.getFragment() != null) {
            throw new ConfigException(source + ": '" + text + "' must not contain a fragment (#…)");
        }
        return uri;
    }

    private static List<String> algorithms(List<String> values, String source) {
        Set<String> chosen = new LinkedHashSet<>();
        for (String value : values) {
            String name = value.trim().toUpperCase(Locale.ROOT);
            if (name.equals("NONE")) {
                throw new ConfigException(source + ": 'none' would accept unsigned tokens, which anyone can write; use one of "
                        + String.join(", ", ALGORITHMS));
            }
            if (name.startsWith("HS")) {
                throw new ConfigException(source + ": '" + value.trim() + "' is an HMAC (shared-secret) algorithm: verifying it with the "
                        + "issuer's published key would let anyone who downloads that key sign tokens; use one of "
                        + String.join(", ", ALGORITHMS));
            }
            if (!ALGORITHMS.contains(name)) {
                throw new ConfigException(source + ": '" + value.trim() + "' is not an accepted algorithm; use one of "
                        + String.join(", ", ALGORITHMS));
            }
            chosen.add(name);
        }
        if (chosen.isEmpty()) {
            throw new ConfigException(source + ": holds no algorithm; leave it out for RS256, or list some of " + String.join(", ", ALGORITHMS));
        }
        return List.copyOf(chosen);
    }

    private static Duration clockSkew(String value, String source) {
        if (value.trim().matches("0+\\s*(ms|s|m|h)?")) {
            return Duration.ZERO;
        }
        Duration skew = ConfigValues.duration(value, source, "s");
        if (skew.compareTo(MAX_CLOCK_SKEW) > 0) {
            throw new ConfigException(source + ": '" + value.trim() + "' is more than 10m; tokens would keep working that long after "
                    + "they expire. Use e.g. 60s (the default)");
        }
        return skew;
    }

    private static String claim(String value, String source) {
        String name = value.trim();
        if (name.isEmpty() || name.length() > 64 || !printable(name) || name.contains(" ")) {
            throw new ConfigException(source + ": '" + value + "' is not a claim name; write e.g. sub, oid, groups or roles");
        }
        return name;
    }

    private static String hint(String key) {
        return switch (key) {
            case "issuer" -> "the 'iss' of accepted tokens, e.g. https://login.microsoftonline.com/<tenant id>/v2.0";
            case "audience" -> "the 'aud' tokens must carry, e.g. the application (client) id registered for the gateway";
            default -> "where the issuer publishes its signing keys, e.g. https://login.microsoftonline.com/<tenant id>/discovery/v2.0/keys";
        };
    }

    private static boolean printable(String s) {
        return s.chars().allMatch(c -> c >= ' ' && c <= '~');
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (!value.isValueNode()) {
            throw new ConfigException("auth.jwt." + field + ": must be a single value, not a list or a mapping");
        }
        return value.asText();
    }

    /** A string or a list of strings. */
    private static List<String> list(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(v -> out.add(v.asText()));
        } else {
            out.add(node.asText());
        }
        return out;
    }

    private static List<String> split(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
