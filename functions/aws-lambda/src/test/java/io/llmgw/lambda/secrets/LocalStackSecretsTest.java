package io.llmgw.lambda.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.secrets.SecretVariables;
import io.llmgw.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The same secret handling against LocalStack's Secrets Manager, where a Docker engine exists.
 * Without one (as on this project's build machines) JUnit reports the class as skipped.
 * LocalStack images after 4.14.0 want an auth token, so the image is pinned to 4.14.0.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackSecretsTest {
    @Container
    private final LocalStackContainer localstack = new LocalStackContainer("localstack/localstack:4.14.0").withServices("secretsmanager");

    @Test
    void loadsAndRefreshesARotatedSecret() {
        SecretsManagerClient client = SecretsManagerClient.builder()
                .endpointOverride(localstack.getEndpoint())
                .region(Region.of(localstack.getRegion()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(localstack.getAccessKey(), localstack.getSecretKey())))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        client.createSecret(r -> r.name("llm-gateway/test").secretString("{\"PROXY_API_KEY\":\"first-key\"}"));
        MutableClock clock = new MutableClock();
        SecretVariables secret = new SecretVariables(new SecretsManagerSource(client, "llm-gateway/test"), clock);
        assertThat(secret.load()).containsEntry("PROXY_API_KEY", "first-key");

        client.putSecretValue(r -> r.secretId("llm-gateway/test").secretString("{\"PROXY_API_KEY\":\"second-key\"}"));
        clock.advance(Duration.ofMinutes(2));
        assertThat(secret.refresh()).isTrue();
        assertThat(secret.values()).containsEntry("PROXY_API_KEY", "second-key");
    }
}
