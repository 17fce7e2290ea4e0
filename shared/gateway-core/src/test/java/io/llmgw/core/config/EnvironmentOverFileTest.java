package io.llmgw.core.config;

import static io.llmgw.core.config.ConfigFixtures.AZURE_KEY;
import static io.llmgw.core.config.ConfigFixtures.loadFull;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Environment variables set next to a configuration file win over the file's values. */
class EnvironmentOverFileTest {
    @TempDir
    Path dir;

    @Test
    void proxyApiKeyReplacesTheFileKeys() {
        GatewayConfig config = loadFull(dir, Map.of("PROXY_API_KEY", ConfigFixtures.GATEWAY_KEY_3));

        assertThat(config.auth().keys()).containsExactly(ConfigFixtures.GATEWAY_KEY_3);
    }

    @Test
    void portVariableReplacesServerPort() {
        assertThat(loadFull(dir, Map.of("PORT", "7000")).port()).isEqualTo(7000);
    }

    @Test
    void azureVariablesReplaceTheStarModelAndKeepTheOthers() {
        GatewayConfig config = loadFull(dir, Map.of(
                "AZURE_OPENAI_ENDPOINT", "https://env.openai.azure.com",
                "AZURE_OPENAI_API_KEY", AZURE_KEY,
                "AZURE_OPENAI_MODEL", "gpt-4o-env"));

        assertThat(config.models()).extracting(GatewayConfig.Model::name).containsExactly("gpt-4o", "llama*", "*");
        assertThat(config.models().get(2).deployments()).containsExactly(new GatewayConfig.DeploymentConfig("azure", "gpt-4o-env", null, null));
        assertThat(config.models().get(0).deployments()).hasSize(3);
        assertThat(Settings.baseUrl(config.providers().get("azure"))).isEqualTo(URI.create("https://env.openai.azure.com"));
        assertThat(config.providers()).containsKeys("azure-east", "openai", "local");
    }

    @Test
    void requestTimeoutVariableReplacesTheFileTimeoutButNotAProvidersOwn() {
        GatewayConfig config = loadFull(dir, Map.of("REQUEST_TIMEOUT", "2500"));

        assertThat(config.providers().get("azure-east").timeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(config.providers().get("openai").timeout()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void corsVariableReplacesTheFileOrigins() {
        assertThat(loadFull(dir, Map.of("CORS_ALLOWED_ORIGINS", "https://x.example.com")).corsAllowedOrigins())
                .isEqualTo(List.of("https://x.example.com"));
    }
}
