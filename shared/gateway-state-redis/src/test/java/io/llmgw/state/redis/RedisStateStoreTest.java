package io.llmgw.state.redis;

import io.llmgw.core.config.AccessConfig;
import io.llmgw.core.state.StateStore;
import io.llmgw.core.state.StateStoreContract;
import io.llmgw.core.state.StateStores;
import io.llmgw.testing.LocalRedis;
import io.llmgw.testing.PerClassServer;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store contract against a real redis-server: every client is a store of its own (its own
 * connection), opened the way the gateway opens it — by kind, through the service loader.
 */
class RedisStateStoreTest extends StateStoreContract {
    @RegisterExtension
    static final PerClassServer<LocalRedis> REDIS = new PerClassServer<>(LocalRedis::start);

    @Override
    protected StateStore openClient() {
        return StateStores.open(new AccessConfig.State("redis", Map.of("url", REDIS.get().url())));
    }
}
