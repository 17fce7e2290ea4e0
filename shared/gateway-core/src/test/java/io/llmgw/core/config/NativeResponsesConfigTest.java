package io.llmgw.core.config;

import static io.llmgw.core.config.ConfigFixtures.assertYamlFails;
import static io.llmgw.core.config.ConfigFixtures.loadYaml;
import static io.llmgw.core.config.ConfigFixtures.servedBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code providers.<name>.responses}: which upstreams may serve Responses clients natively. */
class NativeResponsesConfigTest {
    @TempDir
    Path dir;

    private GatewayConfig.Provider provider(String fields) {
        return loadYaml(dir, "providers: { p: { " + fields + " } }" + servedBy("p")).providers().get("p");
    }

    @Test
    void translatedToChatCompletionsUnlessSaidOtherwise() {
        assertThat(Settings.nativeResponses(provider("type: openai, base_url: 'http://127.0.0.1:1/v1'"))).isFalse();
        assertThat(Settings.nativeResponses(provider("type: openai, base_url: 'http://127.0.0.1:1/v1', responses: chat"))).isFalse();
    }

    @Test
    void nativeForOpenAiAndForAzureOnApisThatServeResponses() {
        assertThat(Settings.nativeResponses(provider("type: openai, base_url: 'http://127.0.0.1:1/v1', responses: native"))).isTrue();
        assertThat(Settings.nativeResponses(provider("type: openai, chat_completions_url: 'http://127.0.0.1:1/v1/chat/completions', responses: native"))).isTrue();
        assertThat(Settings.nativeResponses(provider("type: azure-openai, base_url: 'https://a.openai.azure.com', api_version: v1, responses: native"))).isTrue();
        assertThat(Settings.nativeResponses(provider("type: azure-openai, base_url: 'https://a.openai.azure.com', api_version: 2025-04-01-preview, "
                + "responses: Native"))).isTrue();
        assertThat(Settings.nativeResponses(provider("type: azure-openai, base_url: 'https://a.openai.azure.com/openai/v1', responses: native"))).isTrue();
    }

    @Test
    void unknownValueNamesTheKeyAndTheChoices() {
        assertYamlFails(dir, "providers: { p: { type: openai, base_url: 'http://127.0.0.1:1/v1', responses: always } }")
                .hasMessageStartingWith("providers.p.responses: 'always' is not a choice")
                .hasMessageContaining("native").hasMessageContaining("chat");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-10-21", "2025-01-01-preview"})
    void azureApiVersionsWithoutTheResponsesApiAreRefusedWithTheFix(String version) {
        assertYamlFails(dir, "providers: { p: { type: azure-openai, base_url: 'https://a.openai.azure.com', api_version: '"
                + version + "', responses: native } }")
                .hasMessageStartingWith("providers.p.api_version: ")
                .hasMessageContaining("set api_version to v1");
    }

    @Test
    void azureNativeNeedsABaseUrl() {
        assertYamlFails(dir, "providers: { p: { type: azure-openai, chat_completions_url: "
                + "'https://a.openai.azure.com/openai/deployments/d/chat/completions', responses: native } }")
                .hasMessageStartingWith("providers.p.base_url: needed with responses: native");
    }

    @Test
    void theConfigViewShowsNativeProviders() {
        GatewayConfig config = loadYaml(dir, "providers: { p: { type: openai, base_url: 'http://127.0.0.1:1/v1', responses: native } }"
                + servedBy("p"));

        assertThat(new String(io.llmgw.core.admin.ConfigView.render(config), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"responses\":\"native\"");
    }
}
