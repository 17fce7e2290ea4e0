package io.llmgw.lambda.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.config.AccessConfig;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.state.StateStore;
import io.llmgw.core.state.StateStores;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The function carries the DynamoDB store: {@code GATEWAY_STATE_TABLE}, as template.yaml sets it
 * with {@code CreateStateTable=true}, chooses it. (Lambda sets {@code AWS_REGION} itself; here the
 * region is an option, and nothing is called.)
 */
class StateTableOnLambdaTest {
    @Test
    void theStateTableVariableOpensTheDynamoDbStore() {
        AccessConfig.State state = ConfigLoader.load(Map.of(
                "BACKEND_URL", "http://127.0.0.1:9/v1/chat/completions",
                "GATEWAY_STATE_TABLE", "llm-gateway-GatewayStateTable-1A2B3C")).access().state();
        assertThat(state.store()).isEqualTo("dynamodb");
        assertThat(state.options()).containsEntry("table", "llm-gateway-GatewayStateTable-1A2B3C");

        Map<String, String> options = new HashMap<>(state.options());
        options.put("region", "eu-central-1");
        try (StateStore store = StateStores.open(new AccessConfig.State(state.store(), options))) {
            assertThat(store.kind()).isEqualTo("dynamodb");
            assertThat(store.getClass().getName()).isEqualTo("io.llmgw.state.dynamodb.DynamoDbStateStore");
        }
    }
}
