package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.config.AccessConfig;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.state.StateStore;
import io.llmgw.core.state.StateStores;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The container image carries the DynamoDB store: the CDK stacks pass {@code GATEWAY_STATE_TABLE}
 * to ECS and App Runner tasks (which also set {@code AWS_REGION}; here the region is an option, and
 * nothing is called).
 */
class StateTableInContainerTest {
    @Test
    void theStateTableVariableOpensTheDynamoDbStore() {
        AccessConfig.State state = ConfigLoader.load(Map.of(
                "BACKEND_URL", "http://127.0.0.1:9/v1/chat/completions",
                "GATEWAY_STATE_TABLE", "GatewayResourcesStateTable")).access().state();
        Map<String, String> options = new HashMap<>(state.options());
        options.put("region", "us-west-2");
        try (StateStore store = StateStores.open(new AccessConfig.State(state.store(), options))) {
            assertThat(store.kind()).isEqualTo("dynamodb");
            assertThat(store.getClass().getName()).isEqualTo("io.llmgw.state.dynamodb.DynamoDbStateStore");
        }
    }
}
