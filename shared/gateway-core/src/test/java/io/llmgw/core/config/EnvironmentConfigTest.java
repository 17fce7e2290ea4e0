package io.llmgw.core.config;

import io.llmgw.core.config.load.ConfigLoader;

import static io.llmgw.core.config.ConfigFixtures.AZURE_KEY;
import static io.llmgw.core.config.ConfigFixtures.GATEWAY_KEY;
import static io.llmgw.core.config.ConfigFixtures.GATEWAY_KEY_2;
import static io.llmgw.core.config.ConfigFixtures.GATEWAY_KEY_3;
import static io.llmgw.core.config.ConfigFixtures.OPENAI_KEY;
import static io.llmgw.core.config.ConfigFixtures.assertFails;
import static io.llmgw.core.config.ConfigFixtures.assertYamlFails;
import static io.llmgw.core.config.ConfigFixtures.env;
import static io.llmgw.core.config.ConfigFixtures.loadYaml;
import static io.llmgw.core.config.ConfigFixtures.servedBy;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.routing.ModelRouter;
import io.llmgw.core.routing.Route;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Configurations made from environment variables alone, and the auth-mode rules. */
class EnvironmentConfigTest {
    private static final String BACKEND = "https://llm.internal.example.com/v1/chat/completions";
    private static final String AZURE_ENDPOINT = "https://my-resource.openai.azure.com";

    @TempDir
    Path dir;

    @Test
    void emptyEnvironmentStopsTheStartListingEveryWayToNameAnUpstream() {
        assertFails(Map.of()).hasMessageStartingWith("providers: none configured")
                .hasMessageContaining("AZURE_OPENAI_ENDPOINT").hasMessageContaining("BACKEND_URL")
                .hasMessageContaining("OPENAI_API_KEY").hasMessageContaining("ANTHROPIC_API_KEY")
                .hasMessageContaining("GEMINI_API_KEY").hasMessageContaining("GATEWAY_MOCK=1").hasMessageContaining("GATEWAY_CONFIG")
                .hasMessageNotContaining("BEDROCK_REGION");  // the core alone has no Bedrock
    }

    @Test
    void theMockAloneLeavesEverythingElseAtItsDefaults() {
        GatewayConfig config = ConfigLoader.load(Map.of("GATEWAY_MOCK", "1"));

        assertThat(config.hasUpstream()).isTrue();
        assertThat(config.providers()).containsOnlyKeys("mock");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.auth().mode()).isEqualTo(AuthMode.CLIENT);
        assertThat(config.auth().headers()).isEqualTo(ConfigLoader.DEFAULT_AUTH_HEADERS)
                .containsExactly("authorization", "x-api-key", "api-key");
    }

    @Test
    void blankVariablesCountAsUnset() {
        GatewayConfig config = ConfigLoader.load(env("BACKEND_URL", "  ", "PROXY_API_KEY", "", "PORT", " ", "GATEWAY_MOCK", "1"));

        assertThat(config.providers()).containsOnlyKeys("mock");
        assertThat(config.auth().keys()).isEmpty();
        assertThat(config.port()).isEqualTo(8080);
        assertFails(env("BACKEND_URL", "  ", "GATEWAY_MOCK", " ")).hasMessageStartingWith("providers: none configured");
    }

    // ---- BACKEND_URL --------------------------------------------------------------------------

    @Test
    void backendUrlAloneIsClientModeRoutingEveryModelByItsOwnName() {
        GatewayConfig config = ConfigLoader.load(env("BACKEND_URL", BACKEND));

        assertThat(config.auth().mode()).isEqualTo(AuthMode.CLIENT);
        assertThat(config.auth().keys()).isEmpty();
        GatewayConfig.Provider backend = config.providers().get("backend");
        assertThat(config.providers()).containsOnlyKeys("backend");
        assertThat(backend.type()).isEqualTo("openai");
        assertThat(Settings.chatCompletionsUrl(backend)).isEqualTo(URI.create(BACKEND));
        assertThat(Settings.baseUrl(backend)).isEqualTo(URI.create("https://llm.internal.example.com/v1"));
        assertThat(backend.apiKey()).isNull();
        assertThat(backend.timeout()).isEqualTo(Duration.ofSeconds(600));
        assertThat(config.models()).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo("*");
            assertThat(m.deployments()).containsExactly(new GatewayConfig.DeploymentConfig("backend", null, null, null));
        });

        ModelRouter router = new ModelRouter(config);
        for (String model : new String[] {"gpt-4o", "claude-sonnet-4-5", "llama3.1:8b", "x"}) {
            Route route = router.route(model).orElseThrow();
            assertThat(route.primary().upstreamModel()).isEqualTo(model);
            assertThat(route.primary().provider()).isSameAs(backend);
        }
    }

    @Test
    void backendUrlWithProxyKeyIsHybrid() {
        GatewayConfig config = ConfigLoader.load(env("BACKEND_URL", BACKEND, "PROXY_API_KEY", GATEWAY_KEY));

        assertThat(config.auth().mode()).isEqualTo(AuthMode.HYBRID);
        assertThat(config.auth().keys()).containsExactly(GATEWAY_KEY);
    }

    @Test
    void backendUrlWithoutTheChatSuffixHasNoBaseUrl() {
        GatewayConfig config = ConfigLoader.load(env("BACKEND_URL", "http://localhost:8000/generate/"));

        GatewayConfig.Provider backend = config.providers().get("backend");
        assertThat(Settings.chatCompletionsUrl(backend)).isEqualTo(URI.create("http://localhost:8000/generate"));
        assertThat(Settings.baseUrl(backend)).isNull();
    }

    @Test
    void backendTimeoutSecsSetsTheBackendTimeout() {
        GatewayConfig config = ConfigLoader.load(env("BACKEND_URL", BACKEND, "BACKEND_TIMEOUT_SECS", "45",
                "REQUEST_TIMEOUT", "1000"));

        assertThat(config.providers().get("backend").timeout()).isEqualTo(Duration.ofSeconds(45));
    }

    // ---- Azure --------------------------------------------------------------------------------

    @Test
    void azureVariablesWithProxyKeyMakeAGatewayModeAzureConfig() {
        GatewayConfig config = ConfigLoader.load(env(
                "AZURE_OPENAI_ENDPOINT", AZURE_ENDPOINT + "/",
                "AZURE_OPENAI_API_KEY", AZURE_KEY,
                "AZURE_OPENAI_MODEL", "gpt-4o-prod",
                "PROXY_API_KEY", GATEWAY_KEY));

        assertThat(config.auth().mode()).isEqualTo(AuthMode.GATEWAY);
        GatewayConfig.Provider azure = config.providers().get("azure");
        assertThat(azure.type()).isEqualTo("azure-openai");
        assertThat(Settings.baseUrl(azure)).isEqualTo(URI.create(AZURE_ENDPOINT));
        assertThat(Settings.chatCompletionsUrl(azure)).isNull();
        assertThat(azure.apiKey()).isEqualTo(AZURE_KEY);
        assertThat(Settings.apiVersion(azure)).isEqualTo("2024-10-21");
        assertThat(config.models()).singleElement().satisfies(m -> assertThat(m.deployments())
                .containsExactly(new GatewayConfig.DeploymentConfig("azure", "gpt-4o-prod", null, null)));
        // Whatever the client asks for, the Azure deployment serves it.
        assertThat(new ModelRouter(config).route("gpt-4.1").orElseThrow().primary().upstreamModel()).isEqualTo("gpt-4o-prod");
    }

    @Test
    void azureApiVersionVariable() {
        GatewayConfig config = ConfigLoader.load(env("AZURE_OPENAI_ENDPOINT", AZURE_ENDPOINT,
                "AZURE_OPENAI_MODEL", "m", "AZURE_OPENAI_API_VERSION", "2025-04-01-preview"));

        assertThat(Settings.apiVersion(config.providers().get("azure"))).isEqualTo("2025-04-01-preview");
        // No upstream key configured: clients bring their own.
        assertThat(config.auth().mode()).isEqualTo(AuthMode.CLIENT);
    }

    @Test
    void azureKeyWithoutProxyKeyIsRefused() {
        assertFails(env("AZURE_OPENAI_ENDPOINT", AZURE_ENDPOINT, "AZURE_OPENAI_API_KEY", AZURE_KEY, "AZURE_OPENAI_MODEL", "m"))
                .hasMessageContaining("PROXY_API_KEY")
                .hasMessageNotContaining(AZURE_KEY);
    }

    @Test
    void azureWithoutModelNamesAzureOpenAiModel() {
        assertFails(env("AZURE_OPENAI_ENDPOINT", AZURE_ENDPOINT, "AZURE_OPENAI_API_KEY", AZURE_KEY,
                "PROXY_API_KEY", GATEWAY_KEY)).hasMessageContaining("AZURE_OPENAI_MODEL");
    }

    // ---- OpenAI -------------------------------------------------------------------------------

    @Test
    void openAiKeyDefaultsToTheOpenAiBaseUrl() {
        GatewayConfig config = ConfigLoader.load(env("OPENAI_API_KEY", OPENAI_KEY, "PROXY_API_KEY", GATEWAY_KEY));

        GatewayConfig.Provider openai = config.providers().get("openai");
        assertThat(openai.type()).isEqualTo("openai");
        assertThat(Settings.baseUrl(openai)).isEqualTo(URI.create("https://api.openai.com/v1"));
        assertThat(openai.apiKey()).isEqualTo(OPENAI_KEY);
        assertThat(Settings.apiVersion(openai)).isNull();
        assertThat(config.auth().mode()).isEqualTo(AuthMode.GATEWAY);
        assertThat(config.models()).singleElement().satisfies(m -> assertThat(m.deployments())
                .containsExactly(new GatewayConfig.DeploymentConfig("openai", null, null, null)));
    }

    @Test
    void openAiBaseUrlOverridesTheDefault() {
        GatewayConfig config = ConfigLoader.load(env("OPENAI_API_KEY", OPENAI_KEY, "PROXY_API_KEY", GATEWAY_KEY,
                "OPENAI_BASE_URL", "https://openrouter.example.com/api/v1/"));

        assertThat(Settings.baseUrl(config.providers().get("openai"))).isEqualTo(URI.create("https://openrouter.example.com/api/v1"));
    }

    @Test
    void openAiKeyWithoutProxyKeyIsRefused() {
        assertFails(env("OPENAI_API_KEY", OPENAI_KEY)).hasMessageContaining("PROXY_API_KEY").hasMessageNotContaining(OPENAI_KEY);
    }

    @Test
    void openAiBaseUrlWithoutKeyIsClientMode() {
        GatewayConfig config = ConfigLoader.load(env("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1"));

        assertThat(config.auth().mode()).isEqualTo(AuthMode.CLIENT);
        assertThat(config.providers().get("openai").apiKey()).isNull();
    }

    @Test
    void allThreeUpstreamsServeEveryModelInTheOrderAzureBackendOpenAi() {
        GatewayConfig config = ConfigLoader.load(env(
                "OPENAI_API_KEY", OPENAI_KEY,
                "BACKEND_URL", BACKEND,
                "AZURE_OPENAI_ENDPOINT", AZURE_ENDPOINT, "AZURE_OPENAI_API_KEY", AZURE_KEY, "AZURE_OPENAI_MODEL", "dep",
                "PROXY_API_KEY", GATEWAY_KEY));

        assertThat(config.providers().keySet()).containsExactly("azure", "backend", "openai");
        assertThat(config.models()).singleElement().satisfies(m -> assertThat(m.deployments()).containsExactly(
                new GatewayConfig.DeploymentConfig("azure", "dep", null, null),
                new GatewayConfig.DeploymentConfig("backend", null, null, null),
                new GatewayConfig.DeploymentConfig("openai", null, null, null)));
        assertThat(config.auth().mode()).isEqualTo(AuthMode.GATEWAY);
    }

    // ---- keys, port, timeouts, CORS -----------------------------------------------------------

    @Test
    void proxyApiKeysIsACommaList() {
        GatewayConfig config = ConfigLoader.load(env("BACKEND_URL", BACKEND,
                "PROXY_API_KEYS", " " + GATEWAY_KEY + " ,," + GATEWAY_KEY_2 + ",\n" + GATEWAY_KEY_3 + ","));

        assertThat(config.auth().keys()).containsExactly(GATEWAY_KEY, GATEWAY_KEY_2, GATEWAY_KEY_3);
        assertThat(config.auth().mode()).isEqualTo(AuthMode.HYBRID);
    }

    @Test
    void proxyApiKeyAndProxyApiKeysCombine() {
        GatewayConfig config = ConfigLoader.load(env("PROXY_API_KEY", GATEWAY_KEY + "\n",
                "PROXY_API_KEYS", GATEWAY_KEY_2 + "," + GATEWAY_KEY_3, "OPENAI_API_KEY", OPENAI_KEY));

        assertThat(config.auth().keys()).containsExactly(GATEWAY_KEY, GATEWAY_KEY_2, GATEWAY_KEY_3);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
            "1111, 2222, 3333, 1111",
            "-,    2222, 3333, 2222",
            "-,    -,    3333, 3333",
            "-,    -,    -,    8080",
            "' 9000 ', -, -,   9000"})
    void portThenHostPortThenGatewayPort(String port, String hostPort, String gatewayPort, int expected) {
        Map<String, String> env = env("GATEWAY_MOCK", "1");
        if (port != null) {
            env.put("PORT", port);
        }
        if (hostPort != null) {
            env.put("HOST_PORT", hostPort);
        }
        if (gatewayPort != null) {
            env.put("GATEWAY_PORT", gatewayPort);
        }

        assertThat(ConfigLoader.load(env).port()).isEqualTo(expected);
    }

    @Test
    void portBoundariesAreAccepted() {
        assertThat(ConfigLoader.load(env("PORT", "1", "GATEWAY_MOCK", "1")).port()).isEqualTo(1);
        assertThat(ConfigLoader.load(env("PORT", "65535", "GATEWAY_MOCK", "1")).port()).isEqualTo(65535);
    }

    @Test
    void requestTimeoutIsInMilliseconds() {
        GatewayConfig config = ConfigLoader.load(env("BACKEND_URL", BACKEND, "REQUEST_TIMEOUT", "1500"));

        assertThat(config.providers().get("backend").timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.providers().get("backend").connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void corsAllowedOriginsIsACommaList() {
        GatewayConfig config = ConfigLoader.load(env("CORS_ALLOWED_ORIGINS", "https://a.example.com, https://b.example.com,, ",
                "GATEWAY_MOCK", "1"));

        assertThat(config.corsAllowedOrigins()).containsExactly("https://a.example.com", "https://b.example.com");
    }

    // ---- auth-mode rules ----------------------------------------------------------------------

    @Test
    void configuredUpstreamKeyWithoutGatewayKeyInTheFileIsAnError() {
        assertYamlFails(dir, """
                providers: { openai: { type: openai, base_url: 'https://api.openai.com/v1', api_key: '%s' } }
                """.formatted(OPENAI_KEY))
                .hasMessageContaining("auth")
                .hasMessageContaining("PROXY_API_KEY")
                .hasMessageNotContaining(OPENAI_KEY);
    }

    @Test
    void explicitClientModeWithAConfiguredUpstreamKeyIsFine() {
        GatewayConfig config = loadYaml(dir, """
                auth: { mode: client }
                providers: { openai: { type: openai, base_url: 'https://api.openai.com/v1', api_key: '%s' } }
                """.formatted(OPENAI_KEY) + servedBy("openai"));

        assertThat(config.auth().mode()).isEqualTo(AuthMode.CLIENT);
        assertThat(config.providers().get("openai").apiKey()).isEqualTo(OPENAI_KEY);
    }

    @Test
    void explicitClientModeFromTheFileWithAzureVariables() {
        GatewayConfig config = loadYaml(dir, "auth: { mode: client }", env("AZURE_OPENAI_ENDPOINT", AZURE_ENDPOINT,
                "AZURE_OPENAI_API_KEY", AZURE_KEY, "AZURE_OPENAI_MODEL", "m"));

        assertThat(config.auth().mode()).isEqualTo(AuthMode.CLIENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "hybrid", " Gateway "})
    void gatewayAndHybridModesNeedKeys(String mode) {
        assertYamlFails(dir, "auth: { mode: '" + mode + "' }").hasMessageContaining("auth.mode").hasMessageContaining("PROXY_API_KEY");
    }

    @Test
    void explicitModesWithKeys() {
        Map<String, String> env = env("PROXY_API_KEY", GATEWAY_KEY, "OPENAI_API_KEY", OPENAI_KEY);

        assertThat(loadYaml(dir, "auth: { mode: hybrid }", env).auth().mode()).isEqualTo(AuthMode.HYBRID);
        assertThat(loadYaml(dir, "auth: { mode: GATEWAY }", env).auth().mode()).isEqualTo(AuthMode.GATEWAY);
        assertThat(loadYaml(dir, "auth: { mode: client }", env).auth().mode()).isEqualTo(AuthMode.CLIENT);
    }

    @Test
    void unknownModeIsRejected() {
        assertYamlFails(dir, "auth: { mode: open }")
                .hasMessageContaining("auth.mode")
                .hasMessageContaining("gateway | client | hybrid");
    }

    @Test
    void shortKeyInTheFileNamesItsIndexWithoutEchoingIt() {
        assertYamlFails(dir, "auth: { keys: ['" + GATEWAY_KEY + "', 'shortGWSECRET'] }")
                .hasMessageContaining("auth.keys[1]")
                .hasMessageNotContaining("GWSECRET");
    }
}
