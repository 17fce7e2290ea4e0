package io.llmgw.core.config;

import static io.llmgw.core.config.ConfigFixtures.GATEWAY_KEY;
import static io.llmgw.core.config.ConfigFixtures.OPENAI_KEY;
import static io.llmgw.core.config.ConfigFixtures.assertYamlFails;
import static io.llmgw.core.config.ConfigFixtures.loadYaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Findings 5 and 8 of the hardening issue, at start-up: a route that would carry one caller's key
 * to two different providers is refused in the modes that forward callers' keys, naming the route
 * and the fix; and a YAML key written twice stops the start, naming the key, instead of silently
 * keeping the last value.
 */
class HardeningConfigTest {
    private static final Map<String, String> ENV = Map.of("GW_KEY", GATEWAY_KEY, "OA_KEY", OPENAI_KEY);

    @TempDir
    Path dir;

    private static String twoProviderRoute(String auth, String apiKeys) {
        return auth + """
                providers:
                  openai: { type: openai, base_url: "https://api.openai.com/v1"%1$s }
                  claude: { type: anthropic, base_url: "https://api.anthropic.com"%1$s }
                models:
                  mixed:
                    deployments:
                      - { provider: openai, model: gpt-4o }
                      - { provider: claude, model: claude-sonnet-4-5 }
                """.formatted(apiKeys);
    }

    @Test
    void clientModeRefusesARouteWhoseDeploymentsAreAtTwoProviders() {
        assertYamlFails(dir, twoProviderRoute("auth: { mode: client }\n", ""), ENV)
                .hasMessageContaining("models.mixed")
                .hasMessageContaining("'openai'").hasMessageContaining("'claude'")
                .hasMessageContaining("auth.mode: gateway");
    }

    @Test
    void hybridModeRefusesItToo() {
        assertYamlFails(dir, twoProviderRoute("auth: { mode: hybrid, keys: [\"${GW_KEY}\"] }\n", ""), ENV)
                .hasMessageContaining("models.mixed").hasMessageContaining("hybrid");
    }

    @Test
    void twoHostsOfOneProviderTypeAreTwoProviders() {
        String yaml = """
                auth: { mode: client }
                providers:
                  official: { type: openai, base_url: "https://api.openai.com/v1" }
                  elsewhere: { type: openai, base_url: "https://llm.example.com/v1" }
                models:
                  gpt-4o:
                    deployments: [ { provider: official }, { provider: elsewhere } ]
                """;
        assertYamlFails(dir, yaml, ENV).hasMessageContaining("models.gpt-4o")
                .hasMessageContaining("api.openai.com").hasMessageContaining("llm.example.com");
    }

    @Test
    void oneProviderWithTwoDeploymentsIsAcceptedInClientMode() {
        GatewayConfig config = loadYaml(dir, """
                auth: { mode: client }
                providers:
                  openai: { type: openai, base_url: "https://api.openai.com/v1" }
                models:
                  gpt:
                    deployments: [ { provider: openai, model: gpt-4o }, { provider: openai, model: gpt-4o-mini } ]
                """, ENV);
        assertThat(config.auth().mode()).isEqualTo(AuthMode.CLIENT);
        assertThat(config.models()).singleElement().satisfies(m -> assertThat(m.deployments()).hasSize(2));
    }

    @Test
    void gatewayModeMayMixProvidersSinceItsOwnKeysGoToEach() {
        GatewayConfig config = loadYaml(dir,
                twoProviderRoute("auth: { mode: gateway, keys: [\"${GW_KEY}\"] }\n", ", api_key: \"${OA_KEY}\""), ENV);
        assertThat(config.auth().mode()).isEqualTo(AuthMode.GATEWAY);
        assertThat(config.models()).singleElement().satisfies(m -> assertThat(m.deployments()).hasSize(2));
    }

    @Test
    void aYamlKeyWrittenTwiceStopsTheStartNamingTheKey() {
        String twiceInAProvider = """
                auth: { mode: gateway, keys: ["${GW_KEY}"] }
                providers:
                  openai:
                    type: openai
                    base_url: https://api.openai.com/v1
                    api_key: ${OA_KEY}
                    api_key: sk-the-second-one-0123456789
                models: { '*': { deployments: [ { provider: openai } ] } }
                """;
        assertYamlFails(dir, twiceInAProvider, ENV)
                .hasMessageContaining("'api_key' appears twice").hasMessageContaining("line 7")
                .hasMessageNotContaining("sk-the-second-one").hasMessageNotContaining(OPENAI_KEY);
        String modelTwice = """
                auth: { mode: gateway, keys: ["${GW_KEY}"] }
                providers:
                  openai: { type: openai, base_url: "https://api.openai.com/v1", api_key: "${OA_KEY}" }
                models:
                  gpt-4o: { deployments: [ { provider: openai, model: gpt-4o } ] }
                  gpt-4o: { deployments: [ { provider: openai, model: gpt-4o-mini } ] }
                """;
        assertYamlFails(dir, modelTwice, ENV).hasMessageContaining("'gpt-4o' appears twice");
    }
}
