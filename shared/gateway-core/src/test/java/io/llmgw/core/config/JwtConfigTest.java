package io.llmgw.core.config;

import static io.llmgw.core.config.ConfigFixtures.GATEWAY_KEY;
import static io.llmgw.core.config.ConfigFixtures.assertFails;
import static io.llmgw.core.config.ConfigFixtures.assertYamlFails;
import static io.llmgw.core.config.ConfigFixtures.env;
import static io.llmgw.core.config.ConfigFixtures.loadYaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.config.load.ConfigLoader;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code auth.jwt} and the {@code GATEWAY_JWT_*} variables: defaults, every bad value named with its fix, and the auth mode. */
class JwtConfigTest {
    private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private static final String ENTRA = """
            auth:
              jwt:
                issuer: https://login.microsoftonline.com/%1$s/v2.0
                audience: [6e74172b-be56-4843-9ff4-e66a39bb12e3, "api://llm-gateway"]
                jwks_url: https://login.microsoftonline.com/%1$s/discovery/v2.0/keys?appid=6e74172b-be56-4843-9ff4-e66a39bb12e3
                algorithms: [RS256, ps256]
                clock_skew: 2m
                identity_claim: oid
                team_claim: groups
                models: ["gpt-4o*"]
                limits: { requests_per_minute: 60, burst: 10 }
                budget: { usd: 25, period: day }
            providers:
              mock: { type: mock }
            models:
              "*": { deployments: [ { provider: mock } ] }
            """.formatted(TENANT);

    @TempDir
    Path dir;

    private static String withJwt(String jwt) {
        return "auth:\n  jwt:\n" + jwt.indent(4) + "providers:\n  mock: { type: mock }\nmodels:\n  \"*\": { deployments: [ { provider: mock } ] }\n";
    }

    private static final String MINIMAL = """
            issuer: https://idp.example.com
            audience: gateway
            jwks_url: https://idp.example.com/keys
            """;

    @Test
    void anEntraIdSectionBindsEveryField() {
        GatewayConfig config = loadYaml(dir, ENTRA);
        AccessConfig.Jwt jwt = config.access().jwt();

        assertThat(jwt.issuer()).isEqualTo("https://login.microsoftonline.com/" + TENANT + "/v2.0");
        assertThat(jwt.audiences()).containsExactly("6e74172b-be56-4843-9ff4-e66a39bb12e3", "api://llm-gateway");
        assertThat(jwt.jwksUrl()).isEqualTo(URI.create("https://login.microsoftonline.com/" + TENANT
                + "/discovery/v2.0/keys?appid=6e74172b-be56-4843-9ff4-e66a39bb12e3"));
        assertThat(jwt.algorithms()).containsExactly("RS256", "PS256");
        assertThat(jwt.clockSkew()).isEqualTo(Duration.ofMinutes(2));
        assertThat(jwt.identityClaim()).isEqualTo("oid");
        assertThat(jwt.teamClaim()).isEqualTo("groups");
        assertThat(jwt.policy().models()).containsExactly("gpt-4o*");
        assertThat(jwt.policy().limits()).isEqualTo(new AccessConfig.Limits(60, 10, 0, 0));
        assertThat(jwt.policy().budget().usd()).isEqualTo(25);
        assertThat(config.access().limitsAnything()).isTrue();
        // tokens alone are a way in: the mock (the gateway's own upstream) is served in gateway mode, no gateway key needed
        assertThat(config.auth().mode()).isEqualTo(AuthMode.GATEWAY);
        assertThat(config.auth().keys()).isEmpty();
    }

    @Test
    void defaultsAreRs256SixtySecondsAndSub() {
        AccessConfig.Jwt jwt = loadYaml(dir, withJwt(MINIMAL)).access().jwt();
        assertThat(jwt.algorithms()).containsExactly("RS256");
        assertThat(jwt.clockSkew()).isEqualTo(Duration.ofSeconds(60));
        assertThat(jwt.identityClaim()).isEqualTo("sub");
        assertThat(jwt.teamClaim()).isNull();
        assertThat(jwt.audiences()).containsExactly("gateway");
        assertThat(jwt.policy()).isEqualTo(AccessConfig.Policy.UNRESTRICTED);
        assertThat(loadYaml(dir, withJwt(MINIMAL + "clock_skew: 0\n")).access().jwt().clockSkew()).isZero();
    }

    @Test
    void withoutTheSectionThereIsNoJwt() {
        assertThat(ConfigLoader.load(env("GATEWAY_MOCK", "1", "PROXY_API_KEY", GATEWAY_KEY)).access().jwt()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            no issuer           | audience: a\\njwks_url: https://idp/keys                          | auth.jwt.issuer: required
            no audience         | issuer: https://idp\\njwks_url: https://idp/keys                  | auth.jwt.audience: required
            no jwks_url         | issuer: https://idp\\naudience: a                                 | auth.jwt.jwks_url: required
            empty audience list | issuer: https://idp\\naudience: []\\njwks_url: https://idp/keys   | auth.jwt.audience: holds no audience
            http to a host      | issuer: https://idp\\naudience: a\\njwks_url: http://idp.example.com/keys | auth.jwt.jwks_url: 'http://idp.example.com/keys' uses http to a non-loopback host
            not a URL           | issuer: https://idp\\naudience: a\\njwks_url: keys.json            | auth.jwt.jwks_url: 'keys.json' is not an absolute http(s) URL
            credentials in URL  | issuer: https://idp\\naudience: a\\njwks_url: https://u:p@idp/keys | auth.jwt.jwks_url: carries credentials
            alg none            | issuer: https://idp\\naudience: a\\njwks_url: https://idp/keys\\nalgorithms: [none] | auth.jwt.algorithms: 'none' would accept unsigned tokens
            HMAC                | issuer: https://idp\\naudience: a\\njwks_url: https://idp/keys\\nalgorithms: [RS256, HS256] | auth.jwt.algorithms: 'HS256' is an HMAC (shared-secret) algorithm
            unknown algorithm   | issuer: https://idp\\naudience: a\\njwks_url: https://idp/keys\\nalgorithms: EdDSA | auth.jwt.algorithms: 'EdDSA' is not an accepted algorithm; use one of RS256, RS384
            skew too large      | issuer: https://idp\\naudience: a\\njwks_url: https://idp/keys\\nclock_skew: 1h | auth.jwt.clock_skew: '1h' is more than 10m
            skew not a duration | issuer: https://idp\\naudience: a\\njwks_url: https://idp/keys\\nclock_skew: soon | auth.jwt.clock_skew: 'soon' is not a duration
            bad claim name      | issuer: https://idp\\naudience: a\\njwks_url: https://idp/keys\\nidentity_claim: "o id" | auth.jwt.identity_claim: 'o id' is not a claim name
            unknown key         | issuer: https://idp\\naudience: a\\njwks_url: https://idp/keys\\nissuers: x | auth.jwt.issuers: unknown key; allowed here: algorithms, audience, budget
            bad limit           | issuer: https://idp\\naudience: a\\njwks_url: https://idp/keys\\nlimits: { requests_per_minute: lots } | auth.jwt.limits.requests_per_minute: 'lots' is not a whole number
            """)
    void everyBadValueStopsTheStartNamingTheKeyAndTheFix(String name, String section, String message) {
        assertYamlFails(dir, withJwt(section.replace("\\n", "\n"))).hasMessageStartingWith(message);
    }

    @Test
    void aSectionThatIsNotAMappingIsNamed() {
        assertYamlFails(dir, "auth:\n  jwt: https://idp\nproviders:\n  mock: { type: mock }\nmodels: { '*': { deployments: [{ provider: mock }] } }\n")
                .hasMessageStartingWith("auth.jwt: must be a mapping like { issuer:");
    }

    @Test
    void clientModeCannotTakeTokens() {
        assertYamlFails(dir, withJwt(MINIMAL).replace("auth:\n", "auth:\n  mode: client\n"))
                .hasMessageStartingWith("auth.mode: client forwards each caller's own key upstream, so virtual keys and JWT identities "
                        + "would never be checked");
    }

    @Test
    void tokensAloneGuardConfiguredUpstreamKeys() {
        String yaml = """
                auth:
                  jwt: { issuer: "https://idp", audience: a, jwks_url: "https://idp/keys" }
                providers:
                  oa: { type: openai, base_url: "https://api.openai.com/v1", api_key: sk-upstream-0123456789abcdef }
                models: { '*': { deployments: [{ provider: oa }] } }
                """;
        GatewayConfig config = loadYaml(dir, yaml);
        assertThat(config.auth().mode()).isEqualTo(AuthMode.GATEWAY);
        // without the tokens, the same upstream key with nobody to guard it stops the start
        assertYamlFails(dir, yaml.replace("  jwt: { issuer: \"https://idp\", audience: a, jwks_url: \"https://idp/keys\" }\n", "  header: x-api-key\n"))
                .hasMessageStartingWith("auth: upstream keys are configured but no gateway key is");
        assertThat(loadYaml(dir, yaml.replace("auth:\n", "auth:\n  mode: gateway\n")).auth().mode()).isEqualTo(AuthMode.GATEWAY);
    }

    // ---- the environment ------------------------------------------------------------------------

    @Test
    void theEnvironmentAloneConfiguresTokens() {
        GatewayConfig config = ConfigLoader.load(env("GATEWAY_MOCK", "1",
                "GATEWAY_JWT_ISSUER", "https://login.microsoftonline.com/" + TENANT + "/v2.0",
                "GATEWAY_JWT_AUDIENCE", "6e74172b-be56-4843-9ff4-e66a39bb12e3, api://llm-gateway",
                "GATEWAY_JWT_JWKS_URL", "https://login.microsoftonline.com/" + TENANT + "/discovery/v2.0/keys",
                "GATEWAY_JWT_IDENTITY_CLAIM", "oid", "GATEWAY_JWT_TEAM_CLAIM", "roles", "GATEWAY_JWT_ALGORITHMS", "RS256,ES256",
                "GATEWAY_JWT_CLOCK_SKEW", "30s"));
        AccessConfig.Jwt jwt = config.access().jwt();
        assertThat(jwt.audiences()).containsExactly("6e74172b-be56-4843-9ff4-e66a39bb12e3", "api://llm-gateway");
        assertThat(jwt.identityClaim()).isEqualTo("oid");
        assertThat(jwt.teamClaim()).isEqualTo("roles");
        assertThat(jwt.algorithms()).containsExactly("RS256", "ES256");
        assertThat(jwt.clockSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.auth().mode()).isEqualTo(AuthMode.GATEWAY);
    }

    @Test
    void theEnvironmentWinsFieldByFieldOverTheFile() {
        AccessConfig.Jwt jwt = loadYaml(dir, ENTRA, Map.of("GATEWAY_JWT_AUDIENCE", "other-app")).access().jwt();
        assertThat(jwt.audiences()).containsExactly("other-app");
        assertThat(jwt.identityClaim()).isEqualTo("oid");                       // from the file
        assertThat(jwt.policy().limits().requestsPerMinute()).isEqualTo(60);   // policies come from the file
    }

    @Test
    void partialEnvironmentNamesWhatIsMissing() {
        assertFails(env("GATEWAY_MOCK", "1", "GATEWAY_JWT_ISSUER", "https://idp"))
                .hasMessageStartingWith("GATEWAY_JWT_AUDIENCE, GATEWAY_JWT_JWKS_URL: not set; JWT authentication needs");
        assertFails(env("GATEWAY_MOCK", "1", "GATEWAY_JWT_ISSUER", "https://idp", "GATEWAY_JWT_AUDIENCE", "a",
                "GATEWAY_JWT_JWKS_URL", "https://idp/keys", "GATEWAY_JWT_ALGORITHMS", "HS512"))
                .hasMessageStartingWith("GATEWAY_JWT_ALGORITHMS: 'HS512' is an HMAC");
    }
}
