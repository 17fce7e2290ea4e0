package io.llmgw.keyvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgw.core.secrets.SecretException;
import io.llmgw.core.secrets.SecretVariables;
import io.llmgw.testing.FakeKeyVault;
import io.llmgw.testing.MutableClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Key Vault source with the real SDK client against the loopback HTTPS fake of the Key Vault REST protocol. */
class KeyVaultSecretsTest {
    private static final String PROXY_KEY = "gw-key-from-key-vault-0123456789abcdef01";
    private final VaultFixture fixture = new VaultFixture();
    private final FakeKeyVault vault = fixture.vault;

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void secretsWithThePrefixBecomeVariablesAfterTheBearerChallenge() {
        vault.put("llm-gateway-AZURE-OPENAI-API-KEY", "az-upstream-key-1")
                .put("llm-gateway-proxy-api-key", PROXY_KEY)
                .put("other-app-db-password", "not-for-the-gateway");

        Map<String, String> variables = fixture.source("llm-gateway-").read().variables();

        assertThat(variables).containsExactlyInAnyOrderEntriesOf(Map.of(
                "AZURE_OPENAI_API_KEY", "az-upstream-key-1", "PROXY_API_KEY", PROXY_KEY));
        // The SDK's first call carries no token; the fake's challenge names the resource, whose scope the credential is asked for.
        FakeKeyVault.Request first = vault.requests().get(0);
        assertThat(first.authorization()).isNull();
        assertThat(fixture.tokenRequests).hasSize(1);
        assertThat(fixture.tokenRequests.get(0).getScopes()).containsExactly("https://vault.azure.net/.default");
        assertThat(fixture.tokenRequests.get(0).getTenantId()).isEqualTo(FakeKeyVault.TENANT);
        assertThat(vault.requests().subList(1, vault.requests().size()))
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + vault.token()))
                .allSatisfy(r -> assertThat(r.query()).containsKey("api-version"));
        // Values are read one by one, and only those of the gateway's secrets.
        assertThat(vault.requests()).extracting(FakeKeyVault.Request::path)
                .filteredOn(p -> !p.equals("/secrets"))
                .allSatisfy(p -> assertThat(p.toLowerCase()).startsWith("/secrets/llm-gateway-"))
                .hasSize(2);
    }

    @Test
    void withoutAPrefixEverySecretIsAVariable() {
        vault.put("PROXY-API-KEY", PROXY_KEY).put("anthropic-api-key", "sk-ant-123");
        assertThat(fixture.source("").read().variables())
                .containsExactlyInAnyOrderEntriesOf(Map.of("PROXY_API_KEY", PROXY_KEY, "ANTHROPIC_API_KEY", "sk-ant-123"));
    }

    @Test
    void everyPageOfTheListIsRead() {
        vault.pageSize(1).put("gw-A", "1").put("gw-B", "2").put("gw-C", "3");
        assertThat(fixture.source("gw-").read().variables()).containsOnlyKeys("A", "B", "C");
        assertThat(vault.requests()).filteredOn(r -> r.query().containsKey("$skiptoken")).hasSize(2);
    }

    @Test
    void aDisabledSecretIsLeftOutWithoutReadingIt() {
        vault.put("gw-PROXY-API-KEY", PROXY_KEY).put("gw-OPENAI-API-KEY", "sk-old").disable("gw-OPENAI-API-KEY");
        assertThat(fixture.source("gw-").read().variables()).containsOnlyKeys("PROXY_API_KEY");
        assertThat(vault.requests()).noneMatch(r -> r.path().equalsIgnoreCase("/secrets/gw-OPENAI-API-KEY/"));
    }

    @Test
    void aMissingSecretIsLeftOutAndTheOthersAreStillRead() {
        vault.put("gw-PROXY-API-KEY", PROXY_KEY).listedButGone("gw-GEMINI-API-KEY");
        assertThat(fixture.source("gw-").read().variables()).containsExactlyEntriesOf(Map.of("PROXY_API_KEY", PROXY_KEY));
        assertThat(vault.requests()).anyMatch(r -> r.path().toLowerCase().startsWith("/secrets/gw-gemini-api-key"));
    }

    @Test
    void anEmptyVaultGivesNoVariables() {
        vault.put("someone-else", "x");
        assertThat(fixture.source("llm-gateway-").read().variables()).isEmpty();
    }

    @Test
    void accessDeniedNamesTheRoleToAssignAndNoValue() {
        vault.put("gw-PROXY-API-KEY", PROXY_KEY).denyAll(true);
        assertThatThrownBy(() -> fixture.source("gw-").read())
                .isInstanceOf(SecretException.class)
                .hasMessageStartingWith("KEY_VAULT_URI: the identity may not list the secrets of " + vault.vaultUrl())
                .hasMessageContaining("HTTP 403 Forbidden/ForbiddenByRbac")
                .hasMessageContaining("Key Vault Secrets User")
                .hasMessageNotContaining(PROXY_KEY);
    }

    @Test
    void aSecretThatMayNotBeReadIsNamed() {
        vault.put("gw-PROXY-API-KEY", PROXY_KEY).put("gw-OPENAI-API-KEY", "sk-1").deny("gw-OPENAI-API-KEY");
        assertThatThrownBy(() -> fixture.source("gw-").read())
                .isInstanceOf(SecretException.class)
                .hasMessageContaining("may not read the secret 'gw-OPENAI-API-KEY'")
                .hasMessageNotContaining(PROXY_KEY);
    }

    @Test
    void aVaultThatCannotBeReachedSaysWhatToCheck() {
        KeyVaultSettings closed = new KeyVaultSettings("https://" + VaultFixture.HOST + ":1", "");
        assertThatThrownBy(() -> fixture.source(closed, java.time.Clock.systemUTC()).read())
                .isInstanceOf(SecretException.class)
                .hasMessageStartingWith("KEY_VAULT_URI: could not list the secrets of https://" + VaultFixture.HOST + ":1 (connection refused)")
                .hasMessageContaining("check the URI");
    }

    @Test
    void aRotationIsReadOnRefreshAndAFailedRefreshKeepsTheValues() {
        MutableClock clock = new MutableClock();
        vault.put("gw-PROXY-API-KEY", PROXY_KEY);
        SecretVariables variables = new SecretVariables(fixture.source(fixture.settings("gw-"), clock), clock);
        variables.load();

        vault.put("gw-PROXY-API-KEY", PROXY_KEY + "-rotated");
        assertThat(variables.refresh()).as("read less than a minute ago").isFalse();
        clock.advance(Duration.ofSeconds(61));
        assertThat(variables.refresh()).isTrue();
        assertThat(variables.values()).containsEntry("PROXY_API_KEY", PROXY_KEY + "-rotated");

        vault.denyAll(true);
        clock.advance(Duration.ofSeconds(61));
        assertThat(variables.refresh()).isFalse();
        assertThat(variables.values()).containsEntry("PROXY_API_KEY", PROXY_KEY + "-rotated");
    }
}
