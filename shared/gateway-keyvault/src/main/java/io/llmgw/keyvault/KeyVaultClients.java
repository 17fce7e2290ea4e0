package io.llmgw.keyvault;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import io.llmgw.azure.identity.AzureCredentials;
import java.time.Duration;

/**
 * Builds the Key Vault client: the SDK over the JDK's HTTP client, the identity of
 * {@link AzureCredentials}, and short retries, since a cold start waits for it.
 */
final class KeyVaultClients {
    private KeyVaultClients() {}

    static SecretClient create(KeyVaultSettings settings) {
        HttpClient http = httpClient(java.net.http.HttpClient.newBuilder());
        return create(settings, AzureCredentials.fromEnvironment(http), http);
    }

    /** The client the gateway uses, with the credential and HTTP client given (tests give a loopback trust store). */
    static SecretClient create(KeyVaultSettings settings, TokenCredential credential, HttpClient http) {
        return new SecretClientBuilder()
                .vaultUrl(settings.vaultUrl())
                .credential(credential)
                .httpClient(http)
                .retryOptions(new RetryOptions(new ExponentialBackoffOptions()
                        .setMaxRetries(2).setBaseDelay(Duration.ofMillis(200)).setMaxDelay(Duration.ofSeconds(2))))
                .buildClient();
    }

    static HttpClient httpClient(java.net.http.HttpClient.Builder jdkClient) {
        return AzureCredentials.httpClient(jdkClient);
    }
}
