package io.llmgw.core.config;

import io.llmgw.core.config.load.ConfigLoader;

import io.llmgw.core.provider.mock.MockSettings;

import static io.llmgw.core.config.ConfigFixtures.GATEWAY_KEY;
import static io.llmgw.core.config.ConfigFixtures.OPENAI_KEY;
import static io.llmgw.core.config.ConfigFixtures.assertFails;
import static io.llmgw.core.config.ConfigFixtures.assertYamlFails;
import static io.llmgw.core.config.ConfigFixtures.env;
import static io.llmgw.core.config.ConfigFixtures.loadYaml;
import static io.llmgw.core.config.ConfigFixtures.servedBy;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.core.admin.ConfigView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code type: mock} in the file, the {@code GATEWAY_MOCK} shortcut, and what the mock means for the auth mode. */
class MockConfigTest {
    @TempDir
    Path dir;

    @Test
    void aMockBlockNeedsOnlyItsTypeAndMayBePaced() {
        GatewayConfig config = loadYaml(dir, """
                providers:
                  plain: { type: mock }
                  slow: { type: mock, first_token_delay: 1500ms, token_delay: 20, timeout: 30s, max_concurrency: 4 }
                models:
                  "*": { deployments: [{ provider: plain }, { provider: slow, model: echo-1 }] }
                """);

        GatewayConfig.Provider plain = config.providers().get("plain");
        GatewayConfig.Provider slow = config.providers().get("slow");
        assertThat(plain.type()).isEqualTo("mock");
        assertThat(Settings.baseUrl(plain)).isNull();
        assertThat(plain.apiKey()).isNull();
        assertThat(Settings.mockLatency(plain)).isEqualTo(MockSettings.NONE);
        assertThat(Settings.mockLatency(slow)).isEqualTo(new MockSettings(Duration.ofMillis(1500), Duration.ofMillis(20)));
        assertThat(slow.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(slow.maxConcurrency()).isEqualTo(4);
        assertThat(new io.llmgw.core.spi.Upstreams(config).get("slow").nativeDialects()).contains(io.llmgw.core.spi.Dialect.CHAT_COMPLETIONS);
    }

    @Test
    void theConfigViewShowsTheMockAndItsPacing() throws Exception {
        GatewayConfig config = loadYaml(dir, "providers: { m: { type: mock, first_token_delay: 2s } }" + servedBy("m"));

        JsonNode view = new ObjectMapper().readTree(ConfigView.render(config)).at("/providers/m");

        assertThat(view.get("type").asText()).isEqualTo("mock");
        assertThat(view.get("first_token_delay").asText()).isEqualTo("2000ms");
        assertThat(view.get("token_delay").asText()).isEqualTo("0ms");
        assertThat(view.has("base_url")).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "base_url: 'https://api.openai.com/v1'                   | providers.m.base_url",
            "chat_completions_url: 'http://127.0.0.1:1/v1/chat/completions' | providers.m.chat_completions_url",
            "api_key: sk-MOCKSECRET0123456789                        | providers.m.api_key",
            "api_version: v1                                         | providers.m.api_version",
            "responses: native                                       | providers.m.responses",
            "first_token_delay: 61s                                  | providers.m.first_token_delay",
            "token_delay: 1001ms                                     | providers.m.token_delay",
            "token_delay: soon                                       | providers.m.token_delay"})
    void whatAMockCannotUseIsRefusedNamingTheKey(String field, String key) {
        assertYamlFails(dir, "providers: { m: { type: mock, " + field + " } }" + servedBy("m"))
                .hasMessageStartingWith(key + ":").hasMessageNotContaining("MOCKSECRET");
    }

    @Test
    void anEmptyKeyAndChatResponsesAreHarmlessOnAMock() {
        GatewayConfig config = loadYaml(dir, "providers: { m: { type: mock, api_key: none, responses: chat, token_delay: 0 } }"
                + servedBy("m"));

        assertThat(config.providers().get("m").apiKey()).isNull();
        assertThat(Settings.mockLatency(config.providers().get("m")).perToken()).isZero();
    }

    @Test
    void pacingOnAnotherTypeIsRefused() {
        assertYamlFails(dir, "providers: { p: { type: openai, base_url: 'https://a.example.com', token_delay: 5ms } }" + servedBy("p"))
                .hasMessageStartingWith("providers.p.token_delay: unknown key for type openai");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "true", " YES "})
    void gatewayMockServesEveryModelName(String value) {
        GatewayConfig config = ConfigLoader.load(env("GATEWAY_MOCK", value));

        assertThat(config.providers()).containsOnlyKeys("mock");
        assertThat(config.providers().get("mock").type()).isEqualTo("mock");
        assertThat(config.models()).singleElement().satisfies(model -> {
            assertThat(model.name()).isEqualTo("*");
            assertThat(model.deployments()).singleElement().satisfies(d -> {
                assertThat(d.provider()).isEqualTo("mock");
                assertThat(d.model()).isNull();
            });
        });
    }

    @Test
    void gatewayMockOffAddsNothing() {
        assertFails(env("GATEWAY_MOCK", "0")).hasMessageStartingWith("providers: none configured");
        assertThat(ConfigLoader.load(env("GATEWAY_MOCK", "false", "OPENAI_API_KEY", OPENAI_KEY, "PROXY_API_KEY", GATEWAY_KEY))
                .providers()).containsOnlyKeys("openai");
    }

    @Test
    void gatewayMockIsNotASwitchValue() {
        assertFails(env("GATEWAY_MOCK", "please")).hasMessageStartingWith("GATEWAY_MOCK: 'please' is not a switch");
    }

    @Test
    void gatewayMockNextToARealUpstreamIsRefused() {
        assertFails(env("GATEWAY_MOCK", "1", "OPENAI_API_KEY", OPENAI_KEY, "PROXY_API_KEY", GATEWAY_KEY))
                .hasMessageStartingWith("GATEWAY_MOCK: set together with the environment's openai upstream")
                .hasMessageNotContaining(OPENAI_KEY);
    }

    @Test
    void gatewayMockReplacesTheFilesCatchAllLikeTheOtherVariables() {
        GatewayConfig config = loadYaml(dir, """
                providers: { local: { type: openai, base_url: 'http://127.0.0.1:11434/v1' } }
                models:
                  llama3: { deployments: [{ provider: local }] }
                  "*": { deployments: [{ provider: local }] }
                """, env("GATEWAY_MOCK", "1"));

        assertThat(config.models()).extracting(GatewayConfig.Model::name).containsExactly("llama3", "*");
        assertThat(config.models().get(1).deployments().get(0).provider()).isEqualTo("mock");
    }

    @Test
    void withGatewayKeysTheMockIsServedInGatewayModeAndWithoutInClientMode() {
        // The mock is the gateway's own upstream: only gateway keys reach it. It has no secret to lend, so no key is needed.
        assertThat(ConfigLoader.load(env("GATEWAY_MOCK", "1", "PROXY_API_KEY", GATEWAY_KEY)).auth().mode()).isEqualTo(AuthMode.GATEWAY);
        assertThat(ConfigLoader.load(env("GATEWAY_MOCK", "1")).auth().mode()).isEqualTo(AuthMode.CLIENT);
        assertThat(ConfigLoader.load(Map.of("GATEWAY_MOCK", "1", "PROXY_API_KEY", GATEWAY_KEY)).auth().keys()).containsExactly(GATEWAY_KEY);
    }
}
