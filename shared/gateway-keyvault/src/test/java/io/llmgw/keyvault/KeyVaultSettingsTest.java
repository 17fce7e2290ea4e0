package io.llmgw.keyvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgw.core.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyVaultSettingsTest {
    private static KeyVaultSettings settings(Map<String, String> env) {
        return KeyVaultSettings.fromEnvironment(env::get);
    }

    @Test
    void noVaultNamedMeansNoSettings() {
        assertThat(settings(Map.of())).isNull();
        assertThat(settings(Map.of("KEY_VAULT_URI", "  "))).isNull();
    }

    @Test
    void keyVaultUriWinsOverAzureKeyVaultUrl() {
        assertThat(settings(Map.of("KEY_VAULT_URI", "https://a.vault.azure.net/", "AZURE_KEY_VAULT_URL", "https://b.vault.azure.net"))
                .vaultUrl()).isEqualTo("https://a.vault.azure.net");
        assertThat(settings(Map.of("AZURE_KEY_VAULT_URL", "https://b.vault.azure.net")).vaultUrl()).isEqualTo("https://b.vault.azure.net");
    }

    @Test
    void secretNamesMapToVariablesAndBack() {
        KeyVaultSettings prefixed = settings(Map.of("KEY_VAULT_URI", "https://a.vault.azure.net", "KEY_VAULT_SECRET_PREFIX", "llm-gateway-"));
        assertThat(prefixed.variableFor("llm-gateway-AZURE-OPENAI-API-KEY")).isEqualTo("AZURE_OPENAI_API_KEY");
        assertThat(prefixed.variableFor("LLM-Gateway-proxy-api-keys")).as("Key Vault names are case-insensitive").isEqualTo("PROXY_API_KEYS");
        assertThat(prefixed.variableFor("other-app-password")).isNull();
        assertThat(prefixed.variableFor("llm-gateway-")).isNull();
        assertThat(prefixed.secretNameFor("AZURE_OPENAI_API_KEY")).isEqualTo("llm-gateway-AZURE-OPENAI-API-KEY");

        KeyVaultSettings plain = settings(Map.of("KEY_VAULT_URI", "https://a.vault.azure.net"));
        assertThat(plain.prefix()).isEmpty();
        assertThat(plain.variableFor("GEMINI-API-KEY")).isEqualTo("GEMINI_API_KEY");
        assertThat(plain.secretNameFor("PROXY_API_KEY")).isEqualTo("PROXY-API-KEY");
    }

    @Test
    void badValuesStopTheStartNamingTheVariable() {
        assertThatThrownBy(() -> settings(Map.of("KEY_VAULT_URI", "http://a.vault.azure.net")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("KEY_VAULT_URI: ").hasMessageContaining("https");
        assertThatThrownBy(() -> settings(Map.of("AZURE_KEY_VAULT_URL", "my-vault")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("AZURE_KEY_VAULT_URL: ");
        assertThatThrownBy(() -> settings(Map.of("KEY_VAULT_URI", "https://a.vault.azure.net/secrets/PROXY-API-KEY")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("has a path");
        assertThatThrownBy(() -> settings(Map.of("KEY_VAULT_URI", "https://a.vault.azure.net", "KEY_VAULT_SECRET_PREFIX", "llm_gateway_")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("KEY_VAULT_SECRET_PREFIX: ").hasMessageContaining("dashes");
        assertThatThrownBy(() -> settings(Map.of("KEY_VAULT_SECRET_PREFIX", "llm-gateway-")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("KEY_VAULT_SECRET_PREFIX: set, but no vault is named");
    }
}
