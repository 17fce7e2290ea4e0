package io.llmgw.state.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.config.AccessConfig;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.state.StateStore;
import io.llmgw.core.state.StateStoreContract;
import io.llmgw.core.state.StateStores;
import io.llmgw.testing.LocalRedis;
import io.llmgw.testing.PerClassServer;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store contract against a redis-server that knows no password and no default user, only an ACL
 * user whose password is a token: every client signs in with the token a {@link RedisCredentialsSource}
 * (found by {@code state.auth}) hands out.
 */
class RedisTokenAuthContractTest extends StateStoreContract {
    @RegisterExtension
    static final PerClassServer<LocalRedis> REDIS = new PerClassServer<>(() -> LocalRedis.start("--user", "default", "off",
            "--user", FixedTestTokens.USER, "on", ">" + FixedTestTokens.SECRET, "~*", "&*", "+@all"));

    @Override
    protected StateStore openClient() {
        return StateStores.open(new AccessConfig.State("redis", Map.of("url", REDIS.get().url(), "auth", FixedTestTokens.AUTH)));
    }

    @Test
    void theEnvironmentChoosesTheStoreAndHowItSignsIn() {
        GatewayConfig config = ConfigLoader.load(Map.of(
                "BACKEND_URL", "http://127.0.0.1:9/v1/chat/completions",
                "GATEWAY_REDIS_URL", REDIS.get().url(),
                "GATEWAY_REDIS_AUTH", FixedTestTokens.AUTH));
        assertThat(config.access().state().options()).containsEntry("auth", FixedTestTokens.AUTH);
        try (StateStore store = StateStores.open(config.access().state())) {
            assertThat(store.add("from-the-environment", 3, Instant.now().plusSeconds(60))).isEqualTo(3);
        }
    }
}
