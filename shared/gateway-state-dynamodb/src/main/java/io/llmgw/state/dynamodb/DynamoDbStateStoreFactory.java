package io.llmgw.state.dynamodb;

import io.llmgw.core.state.StateStore;
import io.llmgw.core.state.StateStoreFactory;
import java.util.Map;
import java.util.Set;

/**
 * {@code state: {store: dynamodb, table, region, endpoint, timeout}}, or {@code GATEWAY_STATE_TABLE}
 * (with {@code GATEWAY_STATE_ENDPOINT}). Registered for {@link java.util.ServiceLoader}; it loads no
 * AWS class until a store is opened, so a build that carries this module and keeps the in-memory
 * store pays nothing for it.
 */
public final class DynamoDbStateStoreFactory implements StateStoreFactory {
    @Override
    public String kind() {
        return "dynamodb";
    }

    @Override
    public Set<String> options() {
        return Set.of("table", "region", "endpoint", "timeout");
    }

    @Override
    public StateStore open(Map<String, String> options) {
        return DynamoDbStateStore.open(DynamoDbSettings.parse(options));
    }
}
