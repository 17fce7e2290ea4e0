package io.llmgw.lambda.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgw.core.secrets.SecretException;
import io.llmgw.core.secrets.SecretVariables;
import io.llmgw.lambda.testing.FakeSecretsManager;
import io.llmgw.testing.MutableClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Secrets Manager source with the real SDK client (URL-connection HTTP client, endpoint override) against the in-process fake. */
class SecretVariablesTest {
    private FakeSecretsManager fake;
    private final MutableClock clock = new MutableClock();

    @BeforeEach
    void start() throws Exception {
        fake = FakeSecretsManager.start();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private SecretVariables secret(String id) {
        return new SecretVariables(new SecretsManagerSource(fake.client(), id), clock);
    }

    @Test
    void aJsonSecretBecomesVariablesThatOverrideTheEnvironment() {
        fake.put("gw", "{\"AZURE_OPENAI_API_KEY\":\"az-key-123\",\"PROXY_API_KEY\":\"proxy-key\",\"REQUEST_TIMEOUT\":30000}");
        Map<String, String> values = secret("gw").load();
        assertThat(values).containsEntry("AZURE_OPENAI_API_KEY", "az-key-123").containsEntry("REQUEST_TIMEOUT", "30000");

        Map<String, String> env = Map.of("PROXY_API_KEY", "from-env", "AZURE_OPENAI_ENDPOINT", "https://x.openai.azure.com");
        var layered = SecretVariables.layered(env::get, values);
        assertThat(layered.apply("PROXY_API_KEY")).isEqualTo("proxy-key");
        assertThat(layered.apply("AZURE_OPENAI_ENDPOINT")).isEqualTo("https://x.openai.azure.com");
        assertThat(layered.apply("UNSET")).isNull();
    }

    @Test
    void aMissingSecretSaysWhatToDo() {
        assertThatThrownBy(() -> secret("nope").load())
                .isInstanceOf(SecretException.class)
                .hasMessageContaining("GATEWAY_SECRET_ID")
                .hasMessageContaining("'nope' does not exist")
                .hasMessageContaining("ResourceNotFoundException");
    }

    @Test
    void accessDeniedNamesThePermission() {
        fake.put("locked", "{\"A\":\"b\"}").deny("locked");
        assertThatThrownBy(() -> secret("locked").load())
                .isInstanceOf(SecretException.class)
                .hasMessageContaining("AccessDeniedException")
                .hasMessageContaining("secretsmanager:GetSecretValue");
    }

    @Test
    void aSecretThatIsNotAJsonObjectOfStringsIsRejectedWithoutEchoingIt() {
        fake.put("plain", "sk-this-is-a-bare-key");
        assertThatThrownBy(() -> secret("plain").load())
                .hasMessageContaining("not valid JSON")
                .hasMessageContaining("{\"AZURE_OPENAI_API_KEY\"")
                .hasMessageNotContaining("sk-this-is-a-bare-key");
        fake.put("nested", "{\"PROXY_API_KEY\":{\"value\":\"x\"}}");
        assertThatThrownBy(() -> secret("nested").load()).hasMessageContaining("'PROXY_API_KEY'").hasMessageContaining("not a string");
        fake.put("array", "[\"x\"]");
        assertThatThrownBy(() -> secret("array").load()).hasMessageContaining("not an object");
    }

    @Test
    void refreshReadsARotatedValueAtMostOncePerMinute() {
        fake.put("gw", "{\"PROXY_API_KEY\":\"first\"}");
        SecretVariables secret = secret("gw");
        secret.load();
        fake.put("gw", "{\"PROXY_API_KEY\":\"second\"}");

        assertThat(secret.refresh()).isFalse();
        assertThat(fake.calls()).isEqualTo(1);
        assertThat(secret.values()).containsEntry("PROXY_API_KEY", "first");

        clock.advance(Duration.ofSeconds(61));
        assertThat(secret.refresh()).isTrue();
        assertThat(secret.values()).containsEntry("PROXY_API_KEY", "second");
        assertThat(fake.calls()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(61));
        assertThat(secret.refresh()).isFalse();  // read again, unchanged
        assertThat(fake.calls()).isEqualTo(3);
    }

    @Test
    void aFailedRefreshKeepsTheValuesAlreadyLoaded() {
        fake.put("gw", "{\"PROXY_API_KEY\":\"first\"}");
        SecretVariables secret = secret("gw");
        secret.load();
        fake.deny("gw");
        clock.advance(Duration.ofMinutes(2));
        assertThat(secret.refresh()).isFalse();
        assertThat(secret.values()).containsEntry("PROXY_API_KEY", "first");
    }
}
