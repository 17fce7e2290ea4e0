package io.llmgw.state.redis;

import io.llmgw.core.state.StateStore;
import io.llmgw.core.state.StateStoreFactory;
import java.util.Map;
import java.util.Set;

/** {@code state: {store: redis, url: ..., prefix: ..., timeout: ...}}, or {@code GATEWAY_REDIS_URL}. */
public final class RedisStateStoreFactory implements StateStoreFactory {
    @Override
    public String kind() {
        return "redis";
    }

    @Override
    public Set<String> options() {
        return RedisSettings.OPTIONS;
    }

    @Override
    public StateStore open(Map<String, String> options) {
        return new RedisStateStore(RedisSettings.from(options));
    }
}
