package io.llmgw.lambda.secrets;

import java.net.URI;
import java.time.Duration;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/**
 * Builds the Secrets Manager client: SDK v2 over the JDK's URL connection (no Netty, no Apache:
 * fewer jars and classes at cold start), the region Lambda sets, the default credential chain
 * (under SnapStart Lambda provides container credentials, not key variables, so nothing is pinned),
 * and an endpoint override when {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} or {@code AWS_ENDPOINT_URL}
 * is set (LocalStack, VPC endpoints).
 */
public final class SecretsClients {
    private SecretsClients() {}

    /** Creates a client from environment variables; called at init, or after a SnapStart restore. */
    @FunctionalInterface
    public interface Factory {
        SecretsManagerClient create(Function<String, String> env);
    }

    public static final Factory DEFAULT = SecretsClients::create;

    public static SecretsManagerClient create(Function<String, String> env) {
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(3))
                        .socketTimeout(Duration.ofSeconds(10)))
                .credentialsProvider(DefaultCredentialsProvider.builder().build());
        String region = firstSet(env, "AWS_REGION", "AWS_DEFAULT_REGION");
        if (region != null) {
            builder.region(Region.of(region));
        }
        String endpoint = firstSet(env, "AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_ENDPOINT_URL");
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    private static String firstSet(Function<String, String> env, String... names) {
        for (String name : names) {
            String value = env.apply(name);
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return null;
    }
}
