package io.llmgw.core.config;

import io.llmgw.core.config.load.ConfigLoader;

import io.llmgw.core.spi.Dialect;
import io.llmgw.core.spi.Upstreams;

import static io.llmgw.core.config.ConfigFixtures.GATEWAY_KEY;
import static io.llmgw.core.config.ConfigFixtures.OPENAI_KEY;
import static io.llmgw.core.config.ConfigFixtures.assertFails;
import static io.llmgw.core.config.ConfigFixtures.assertYamlFails;
import static io.llmgw.core.config.ConfigFixtures.env;
import static io.llmgw.core.config.ConfigFixtures.loadYaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.routing.ModelRouter;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Providers of type {@code anthropic}, from the file and from Anthropic's SDK variables. */
class AnthropicConfigTest {
    static final String ANTHROPIC_KEY = "sk-ant-api03-UPSECRETAN0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void typeAnthropicDefaultsToAnthropicsApiRoot() {
        GatewayConfig config = loadYaml(dir, """
                auth: { keys: ["%s"] }
                providers:
                  claude: { type: anthropic, api_key: "%s" }
                models:
                  "claude-*": { deployments: [ { provider: claude } ] }
                """.formatted(GATEWAY_KEY, ANTHROPIC_KEY));

        GatewayConfig.Provider provider = config.providers().get("claude");
        assertThat(provider.type()).isEqualTo("anthropic");
        assertThat(Settings.baseUrl(provider)).isEqualTo(URI.create("https://api.anthropic.com"));
        assertThat(provider.apiKey()).isEqualTo(ANTHROPIC_KEY);
        // what each type's upstream takes as it is, the rest being translated
        assertThat(new Upstreams(config).get("claude").nativeDialects()).containsExactly(Dialect.ANTHROPIC_MESSAGES);
        GatewayConfig others = ConfigLoader.load(Map.of("OPENAI_API_KEY", "sk-openai-0000000000000000000000",
                "GEMINI_API_KEY", "gm-0000000000000000000000", "PROXY_API_KEY", GATEWAY_KEY));
        assertThat(new Upstreams(others).get("openai").nativeDialects()).containsExactly(Dialect.CHAT_COMPLETIONS);
        assertThat(new Upstreams(others).get("gemini").nativeDialects()).doesNotContain(Dialect.ANTHROPIC_MESSAGES);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://api.anthropic.com/v1", "https://api.anthropic.com/v1/", "https://proxy.example.com/anthropic/v1/messages"})
    void aBaseUrlWithTheVersionPathIsRefusedNamingTheFix(String url) {
        assertYamlFails(dir, """
                providers:
                  claude: { type: anthropic, base_url: "%s" }
                """.formatted(url))
                .hasMessageStartingWith("providers.claude.base_url: ")
                .hasMessageContaining("the gateway appends /v1/messages itself; write the API root, e.g. https://api.anthropic.com");
    }

    @Test
    void keysOnlyTheOpenAiFamilyUsesAreRefused() {
        assertYamlFails(dir, """
                providers:
                  claude: { type: anthropic, chat_completions_url: "https://api.anthropic.com/v1/chat/completions" }
                """).hasMessageStartingWith("providers.claude.chat_completions_url: not used by type anthropic");
        assertYamlFails(dir, """
                providers:
                  claude: { type: anthropic, api_version: "2023-06-01" }
                """).hasMessageStartingWith("providers.claude.api_version: not used by type anthropic");
        assertYamlFails(dir, """
                providers:
                  claude: { type: anthropic, responses: native }
                """).hasMessageContaining("providers.claude.responses: unknown key for type anthropic");
    }

    @Test
    void anthropicApiKeyServesEveryModelAfterTheOtherVariables() {
        GatewayConfig config = ConfigLoader.load(env("ANTHROPIC_API_KEY", ANTHROPIC_KEY, "OPENAI_API_KEY", OPENAI_KEY,
                "PROXY_API_KEY", GATEWAY_KEY));

        GatewayConfig.Provider provider = config.providers().get("anthropic");
        assertThat(provider.type()).isEqualTo("anthropic");
        assertThat(Settings.baseUrl(provider)).isEqualTo(URI.create("https://api.anthropic.com"));
        assertThat(config.models()).singleElement().satisfies(m -> assertThat(m.deployments())
                .extracting(GatewayConfig.DeploymentConfig::provider).containsExactly("openai", "anthropic"));
        assertThat(new ModelRouter(config).require("claude-sonnet-4-5").primary().upstreamModel()).isEqualTo("claude-sonnet-4-5");
        assertThat(config.auth().mode()).isEqualTo(AuthMode.GATEWAY);
    }

    @Test
    void anthropicBaseUrlAloneIsAKeylessProviderForClientKeys() {
        GatewayConfig config = ConfigLoader.load(env("ANTHROPIC_BASE_URL", "https://anthropic-proxy.example.com/"));

        assertThat(Settings.baseUrl(config.providers().get("anthropic"))).isEqualTo(URI.create("https://anthropic-proxy.example.com"));
        assertThat(config.providers().get("anthropic").apiKey()).isNull();
        assertThat(config.auth().mode()).isEqualTo(AuthMode.CLIENT);
    }

    @Test
    void anthropicBaseUrlIsValidatedUnderItsOwnName() {
        assertFails(env("ANTHROPIC_BASE_URL", "https://api.anthropic.com/v1"))
                .hasMessageStartingWith("ANTHROPIC_BASE_URL: ");
        assertFails(env("ANTHROPIC_BASE_URL", "http://api.anthropic.com"))
                .hasMessageStartingWith("ANTHROPIC_BASE_URL: ").hasMessageContaining("must be https");
    }

    /** Claude Code's variables exported in the shell that starts the gateway would make it call itself. */
    @Test
    void theGatewaysOwnAddressOrKeyAsTheUpstreamIsRefused() {
        assertFails(env("ANTHROPIC_BASE_URL", "http://127.0.0.1:8080", "ANTHROPIC_API_KEY", ANTHROPIC_KEY, "PROXY_API_KEY", GATEWAY_KEY))
                .hasMessageStartingWith("ANTHROPIC_BASE_URL: 'http://127.0.0.1:8080' is this gateway's own address");
        assertFails(env("OPENAI_BASE_URL", "http://localhost:9000/v1", "PORT", "9000"))
                .hasMessageStartingWith("OPENAI_BASE_URL: ");
        assertFails(env("ANTHROPIC_API_KEY", GATEWAY_KEY, "PROXY_API_KEY", GATEWAY_KEY))
                .hasMessageStartingWith("ANTHROPIC_API_KEY: is one of the gateway's own keys (PROXY_API_KEY)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(GATEWAY_KEY));
        // another port on loopback is a real local upstream
        assertThat(ConfigLoader.load(Map.of("ANTHROPIC_BASE_URL", "http://127.0.0.1:8081")).providers()).containsKey("anthropic");
    }

    @Test
    void aDeploymentSaysWhichThinkingItsModelTakes() {
        GatewayConfig config = loadYaml(dir, """
                auth: { keys: ["%s"] }
                providers:
                  compat: { type: anthropic, base_url: "https://anthropic-compatible.example.com", api_key: "%s" }
                models:
                  "claude-*": { deployments: [ { provider: compat, model: kimi-k2, thinking: budget }, { provider: compat, thinking: NONE } ] }
                """.formatted(GATEWAY_KEY, ANTHROPIC_KEY));

        assertThat(config.models().get(0).deployments()).extracting(GatewayConfig.DeploymentConfig::thinking)
                .containsExactly(ThinkingSupport.BUDGET, ThinkingSupport.NONE);
        assertThat(new ModelRouter(config).require("claude-opus-4-8").deployments())
                .extracting(io.llmgw.core.spi.Deployment::thinking).containsExactly(ThinkingSupport.BUDGET, ThinkingSupport.NONE);
    }

    @Test
    void anUnknownThinkingFormOrOneOnAChatUpstreamIsRefusedNamingTheKey() {
        assertYamlFails(dir, """
                providers:
                  claude: { type: anthropic, api_key: "%s" }
                models:
                  "claude-*": { deployments: [ { provider: claude, thinking: extended } ] }
                """.formatted(ANTHROPIC_KEY))
                .hasMessage("models.claude-*.deployments[0].thinking: 'extended' is not a choice; use adaptive (Claude 4.6 and later), "
                        + "budget (Claude 3.7 to 4.5) or none");
        assertYamlFails(dir, """
                auth: { mode: client }
                providers:
                  local: { type: openai, base_url: "http://127.0.0.1:11434/v1" }
                models:
                  "*": { deployments: [ { provider: local, thinking: none } ] }
                """)
                .hasMessageStartingWith("models.*.deployments[0].thinking: only for deployments of an anthropic provider")
                .hasMessageContaining("reasoning: true | false");
    }
}
