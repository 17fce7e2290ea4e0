package io.llmgw.keyvault;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.implementation.KeyVaultCredentialPolicy;
import io.llmgw.testing.FakeKeyVault;
import io.llmgw.testing.TestTls;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Mono;

/**
 * The fake vault on loopback as {@value #HOST} (the module's tests resolve that name to 127.0.0.1),
 * and the gateway's own client for it: the real SDK over the JDK client, trusting only the fake's
 * certificate, with a token credential standing in for the managed identity that hands out the
 * token the fake accepts and records what it was asked for.
 */
final class VaultFixture implements AutoCloseable {
    static final String HOST = "llm-gateway-test.vault.azure.net";
    private static final TestTls TLS = TestTls.create(HOST);

    final FakeKeyVault vault = FakeKeyVault.start(TLS, HOST);
    final List<TokenRequestContext> tokenRequests = new CopyOnWriteArrayList<>();
    final TokenCredential credential = request -> {
        tokenRequests.add(request);
        return Mono.just(new AccessToken(vault.token(), OffsetDateTime.now().plusHours(1)));
    };

    VaultFixture() {
        // The SDK keeps each vault's bearer challenge in a static cache keyed by host and port: a fake that got
        // a port an earlier test's fake had used would be sent a token before its challenge (a flaky test).
        KeyVaultCredentialPolicy.clearCache();
    }

    KeyVaultSettings settings(String prefix) {
        return new KeyVaultSettings(vault.vaultUrl(), prefix);
    }

    KeyVaultSecrets source(String prefix) {
        return source(settings(prefix), Clock.systemUTC());
    }

    KeyVaultSecrets source(KeyVaultSettings settings, Clock clock) {
        return new KeyVaultSecrets(client(settings), settings, clock);
    }

    SecretClient client(KeyVaultSettings settings) {
        return KeyVaultClients.create(settings, credential, KeyVaultClients.httpClient(HttpClient.newBuilder().sslContext(TLS.clientContext())));
    }

    @Override
    public void close() {
        vault.close();
    }
}
