package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.state.redis.RedisCredentialsSource;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * The container image carries Microsoft Entra sign-in for the Redis store: what
 * {@code GATEWAY_REDIS_AUTH=entra} (the Bicep template sets it on Container Apps) looks up. Not
 * opened here, which would ask Azure's identity endpoints for a token; {@code EntraRedisTest}
 * (shared/gateway-keyvault) runs it against a fake one.
 */
class RedisEntraInContainerTest {
    @Test
    void theRedisStoreFindsEntraSignIn() {
        assertThat(ServiceLoader.load(RedisCredentialsSource.class)).extracting(RedisCredentialsSource::auth).containsExactly("entra");
    }
}
