package io.llmgw.core.config;

import io.llmgw.core.config.load.ConfigLoader;

import static io.llmgw.core.config.ConfigFixtures.AZURE_KEY;
import static io.llmgw.core.config.ConfigFixtures.loadFull;
import static io.llmgw.core.config.ConfigFixtures.GATEWAY_KEY;
import static io.llmgw.core.config.ConfigFixtures.GATEWAY_KEY_2;
import static io.llmgw.core.config.ConfigFixtures.OPENAI_KEY;
import static io.llmgw.core.config.ConfigFixtures.assertYamlFails;
import static io.llmgw.core.config.ConfigFixtures.env;
import static io.llmgw.core.config.ConfigFixtures.loadYaml;
import static io.llmgw.core.config.ConfigFixtures.servedBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The YAML file named by GATEWAY_CONFIG: its shape, interpolation and validation. */
class ConfigFileTest {
    @TempDir
    Path dir;

    @Test
    void fullFileBindsEveryField() {
        GatewayConfig config = loadFull(dir, Map.of());

        assertThat(config.port()).isEqualTo(9090);
        assertThat(config.auth().mode()).isEqualTo(AuthMode.GATEWAY);
        assertThat(config.auth().keys()).containsExactly(GATEWAY_KEY, GATEWAY_KEY_2);
        assertThat(config.auth().headers()).containsExactly("x-api-key");
        assertThat(config.corsAllowedOrigins()).containsExactly("https://app.example.com", "https://admin.example.com");
        assertThat(config.configEndpointEnabled()).isFalse();
        assertThat(config.hasUpstream()).isTrue();

        assertThat(config.providers()).containsOnlyKeys("azure-east", "openai", "local", "azure-west");
        assertThat(config.providers().keySet()).containsExactly("azure-east", "openai", "local", "azure-west");

        GatewayConfig.Provider azure = config.providers().get("azure-east");
        assertThat(azure.name()).isEqualTo("azure-east");
        assertThat(azure.type()).isEqualTo("azure-openai");
        assertThat(Settings.baseUrl(azure)).isEqualTo(URI.create("https://east.openai.azure.com"));
        assertThat(Settings.chatCompletionsUrl(azure)).isNull();
        assertThat(azure.apiKey()).isEqualTo(AZURE_KEY);
        assertThat(Settings.apiVersion(azure)).isEqualTo("2024-10-21");
        assertThat(azure.timeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(azure.connectTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(Settings.apiVersion(config.providers().get("azure-west"))).isEqualTo("2025-04-01-preview");

        GatewayConfig.Provider openai = config.providers().get("openai");
        assertThat(openai.type()).isEqualTo("openai");
        assertThat(Settings.baseUrl(openai)).isEqualTo(URI.create("https://api.openai.com/v1"));
        assertThat(openai.apiKey()).isEqualTo(OPENAI_KEY);
        assertThat(Settings.apiVersion(openai)).isNull();
        assertThat(openai.timeout()).isEqualTo(Duration.ofMinutes(10));

        GatewayConfig.Provider local = config.providers().get("local");
        assertThat(Settings.baseUrl(local)).isEqualTo(URI.create("http://127.0.0.1:11434/v1"));
        assertThat(local.apiKey()).isNull();
        assertThat(local.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(local.timeout()).isEqualTo(Duration.ofSeconds(120));

        assertThat(config.models()).extracting(GatewayConfig.Model::name).containsExactly("gpt-4o", "llama*", "*");
        assertThat(config.models().get(0).isPattern()).isFalse();
        assertThat(config.models().get(1).isPattern()).isTrue();
        assertThat(config.models().get(0).deployments()).containsExactly(
                new GatewayConfig.DeploymentConfig("azure-east", "gpt-4o-prod", 4096, null),
                new GatewayConfig.DeploymentConfig("azure-west", "gpt-4o-dr", null, null),
                new GatewayConfig.DeploymentConfig("openai", "gpt-4o", null, null));
        assertThat(config.models().get(1).deployments()).containsExactly(new GatewayConfig.DeploymentConfig("local", null, null, null));
        assertThat(config.models().get(2).deployments()).containsExactly(new GatewayConfig.DeploymentConfig("openai", null, null, null));
    }

    @Test
    void defaultsWhenSectionsAreAbsent() {
        GatewayConfig config = loadYaml(dir, """
                providers:
                  local: { type: openai, base_url: "http://localhost:8000/v1" }
                models:
                  "*": { deployments: [{ provider: local }] }
                """);

        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.auth().mode()).isEqualTo(AuthMode.CLIENT);
        assertThat(config.auth().keys()).isEmpty();
        assertThat(config.auth().headers()).containsExactly("authorization", "x-api-key", "api-key");
        assertThat(config.corsAllowedOrigins()).isEmpty();
        assertThat(config.configEndpointEnabled()).isTrue();
        assertThat(config.providers().get("local").timeout()).isEqualTo(Duration.ofSeconds(600));
        assertThat(config.providers().get("local").connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void emptyFileStopsTheStartListingTheWaysToNameAnUpstream() {
        assertYamlFails(dir, "").hasMessageStartingWith("providers: none configured")
                .hasMessageContaining("GATEWAY_MOCK=1").hasMessageContaining("GATEWAY_CONFIG");
    }

    @Test
    void providersWithoutModelsStopTheStartNamingModels() {
        assertYamlFails(dir, "providers: { p: { type: openai, base_url: 'https://a.example.com' } }")
                .hasMessageStartingWith("models: none configured").hasMessageContaining("provider: p");
    }

    @Test
    void authHeaderIsLowerCasedAndMayBeAList() {
        GatewayConfig one = loadYaml(dir, "auth: { header: X-API-Key }", env("GATEWAY_MOCK", "1"));
        GatewayConfig many = loadYaml(dir, "auth: { header: [Authorization, ' X-Custom-Key '] }", env("GATEWAY_MOCK", "1"));

        assertThat(one.auth().headers()).containsExactly("x-api-key");
        assertThat(many.auth().headers()).containsExactly("authorization", "x-custom-key");
        assertYamlFails(dir, "auth: { header: 'bad header' }").hasMessageContaining("auth.header");
    }

    // ---- interpolation ------------------------------------------------------------------------

    @Test
    void defaultIsUsedOnlyWhenTheVariableIsUnset() {
        assertThat(Settings.baseUrl(loadFull(dir, Map.of()).providers().get("openai"))).isEqualTo(URI.create("https://api.openai.com/v1"));
        assertThat(Settings.baseUrl(loadFull(dir, Map.of("OPENAI_BASE", "https://proxy.example.com/v1/")).providers().get("openai")))
                .isEqualTo(URI.create("https://proxy.example.com/v1"));
    }

    @Test
    void defaultIsUsedWhenTheVariableIsEmpty() {
        // ${VAR:-default} follows the shell and Compose: an empty variable counts as unset.
        assertThat(Settings.baseUrl(loadFull(dir, Map.of("OPENAI_BASE", "")).providers().get("openai")))
                .isEqualTo(URI.create("https://api.openai.com/v1"));
    }

    @Test
    void severalReferencesInOneValueAndEmptyDefault() {
        GatewayConfig config = loadYaml(dir, """
                providers:
                  p:
                    type: openai
                    base_url: "https://${HOST}:${PORT_NUM:-8443}/${PREFIX:-}v1"
                models:
                  m: { deployments: [{ provider: p, model: "${MODEL_NAME:-gpt-4o}" }] }
                """, env("HOST", "llm.example.com"));

        assertThat(Settings.baseUrl(config.providers().get("p"))).isEqualTo(URI.create("https://llm.example.com:8443/v1"));
        assertThat(config.models().get(0).deployments().get(0).model()).isEqualTo("gpt-4o");
    }

    @Test
    void substitutedValuesAreTakenLiterally() {
        // '$' and '\' in a value must not be read as regex group references, nor re-interpolated.
        String key = "sk-a$1b\\c${OTHER}0123456789abcdef";
        GatewayConfig config = loadYaml(dir, """
                auth: { mode: client }
                providers:
                  p: { type: openai, base_url: "https://api.example.com", api_key: "${KEY}" }
                """ + servedBy("p"), env("KEY", key));

        assertThat(config.providers().get("p").apiKey()).isEqualTo(key);
    }

    @Test
    void missingVariableNamesTheKeyPathAndTheVariable() {
        assertYamlFails(dir, """
                providers:
                  openai: { type: openai, base_url: "https://api.openai.com/v1", api_key: "${OPENAI_KEY}" }
                """)
                .hasMessageContaining("providers.openai.api_key")
                .hasMessageContaining("OPENAI_KEY");
    }

    @Test
    void missingVariableInAListNamesTheIndex() {
        assertYamlFails(dir, "auth: { keys: [\"" + GATEWAY_KEY + "\", \"${SECOND_KEY}\"] }")
                .hasMessageContaining("auth.keys[1]")
                .hasMessageContaining("SECOND_KEY")
                .hasMessageNotContaining(GATEWAY_KEY);
    }

    // ---- validation ---------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            servers: {}                                                  | servers
            server: { prot: 80 }                                         | server.prot
            auth: { key: x }                                             | auth.key
            upstream: { read_timeout: 5s }                               | upstream.read_timeout
            providers: { p: { type: openai, base_url: 'https://a.b', apikey: x } } | providers.p.apikey
            providers: { p: { type: openai, base_url: 'https://a.b' } }, models: { m: { deployments: [{ provider: p }], fallback: x } } | models.m.fallback
            providers: { p: { type: openai, base_url: 'https://a.b' } }, models: { m: { deployments: [{ provider: p, modle: x }] } } | models.m.deployments[0].modle
            """)
    void unknownKeysAreRejectedByName(String yaml, String key) {
        String text = yaml.startsWith("providers") ? "{ " + yaml + " }" : yaml;

        assertYamlFails(dir, text).hasMessageContaining(key).hasMessageContaining("unknown key");
    }

    @Test
    void badProviderTypeIsRejected() {
        assertYamlFails(dir, "providers: { bed: { type: bedrock, base_url: 'https://a.example.com' } }")
                .hasMessageContaining("providers.bed.type")
                .hasMessageContaining("bedrock")
                .hasMessageContaining("anthropic | azure-openai | gemini | mock | openai");
        assertYamlFails(dir, "providers: { p: { base_url: 'https://a.example.com' } }")
                .hasMessageContaining("providers.p.type");
    }

    @Test
    void providerWithoutUrlIsRejected() {
        assertYamlFails(dir, "providers: { p: { type: openai } }").hasMessageContaining("providers.p.base_url");
    }

    @Test
    void modelReferencingAnUnknownProviderIsRejected() {
        assertYamlFails(dir, """
                providers: { real: { type: openai, base_url: 'https://a.example.com' } }
                models: { gpt: { deployments: [{ provider: real }, { provider: nope }] } }
                """)
                .hasMessageContaining("models.gpt.deployments[1].provider")
                .hasMessageContaining("nope")
                .hasMessageContaining("real");
    }

    @Test
    void modelWithoutDeploymentsIsRejected() {
        assertYamlFails(dir, "models: { gpt: { deployments: [] } }").hasMessageContaining("models.gpt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8000/v1", "http://localhost:11434", "http://LOCALHOST/v1",
            "http://[::1]:8080/v1", "https://example.com/v1", "https://10.0.0.5/v1"})
    void loopbackMayUseHttpAnythingMayUseHttps(String url) {
        GatewayConfig config = loadYaml(dir, "providers: { p: { type: openai, base_url: '" + url + "' } }" + servedBy("p"));

        assertThat(Settings.baseUrl(config.providers().get("p")).toString()).isEqualToIgnoringCase(url.replaceAll("/+$", ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com", "http://10.0.0.5/v1", "http://localhost.example.com/v1",
            "ftp://example.com", "example.com/v1", "https://example.com/v1?x=1"})
    void nonLoopbackHttpAndOtherSchemesAreRejected(String url) {
        assertYamlFails(dir, "providers: { p: { type: openai, base_url: '" + url + "' } }")
                .hasMessageContaining("providers.p.base_url");
    }

    @Test
    void badAzureApiVersionInTheFileNamesTheKey() {
        assertYamlFails(dir, "providers: { a: { type: azure-openai, base_url: 'https://a.openai.azure.com', api_version: soon } }")
                .hasMessageContaining("providers.a.api_version");
    }

    @Test
    void unquotedDateApiVersionIsAccepted() {
        GatewayConfig config = loadYaml(dir, "providers: { a: { type: azure-openai, base_url: 'https://a.openai.azure.com', "
                + "api_version: 2025-01-01 } }" + servedBy("a"));

        assertThat(Settings.apiVersion(config.providers().get("a"))).isEqualTo("2025-01-01");
    }

    @Test
    void badPortInTheFileNamesTheKey() {
        assertYamlFails(dir, "server: { port: 70000 }").hasMessageContaining("server.port");
    }

    @ParameterizedTest
    @CsvSource({"600s, 600000", "10m, 600000", "1500ms, 1500", "1h, 3600000", "2d, 172800000", "45, 45000", "'  30 s ', 30000", "2M, 120000",
            "168h, 604800000"})
    void durations(String value, long millis) {
        GatewayConfig config = loadYaml(dir, "upstream: { timeout: '" + value + "' }\n"
                + "providers: { p: { type: openai, base_url: 'https://a.example.com' } }" + servedBy("p"));

        assertThat(config.providers().get("p").timeout()).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "0", "abc", "-5s", "1w", "1.5s", "s", "169h", "8d", "99999999999999999999", "3000000000h"})
    void badDurationsNameTheKey(String value) {
        assertYamlFails(dir, "upstream: { connect_timeout: '" + value + "' }").hasMessageContaining("upstream.connect_timeout");
        assertYamlFails(dir, "providers: { p: { type: openai, base_url: 'https://a.b.com', timeout: '" + value + "' } }")
                .hasMessageContaining("providers.p.timeout");
    }

    @Test
    void unreadableOrMalformedFileNamesGatewayConfig() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("GATEWAY_CONFIG", dir.resolve("missing.yaml").toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("GATEWAY_CONFIG");
        assertYamlFails(dir, "- just\n- a list\n").hasMessageContaining("GATEWAY_CONFIG");
    }

    @Test
    void malformedYamlDoesNotEchoTheFileContents() {
        String text = """
                providers:
                  openai:
                    type: openai
                    api_key: %s : [unclosed
                """.formatted(OPENAI_KEY);

        assertYamlFails(dir, text)
                .hasMessageContaining("GATEWAY_CONFIG")
                .hasMessageContaining("line 4")
                .hasMessageNotContaining(OPENAI_KEY)
                .hasMessageNotContaining("UPSECRET");
        assertYamlFails(dir, "providers:\n  openai:\n    api_key: \"" + OPENAI_KEY + "\n")
                .hasMessageContaining("GATEWAY_CONFIG")
                .hasMessageNotContaining("UPSECRET");
        assertYamlFails(dir, "providers:\n\topenai: { api_key: " + OPENAI_KEY + " }\n")
                .hasMessageContaining("GATEWAY_CONFIG")
                .hasMessageNotContaining("UPSECRET");
    }
}
