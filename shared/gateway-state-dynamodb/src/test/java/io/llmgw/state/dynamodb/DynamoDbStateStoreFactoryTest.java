package io.llmgw.state.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.llmgw.core.config.AccessConfig;
import io.llmgw.core.config.ConfigException;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.state.StateStore;
import io.llmgw.core.state.StateStoreException;
import io.llmgw.core.state.StateStores;
import io.llmgw.testing.LocalDynalite;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Choosing and configuring the store as a user does — {@code state:} in the file, or
 * {@code GATEWAY_STATE_TABLE} — through the core's {@link StateStores}, which finds this module by
 * its service registration. Bad options stop the start with the option's name and the fix.
 */
class DynamoDbStateStoreFactoryTest {
    private static StateStore open(Map<String, String> options) {
        return StateStores.open(new AccessConfig.State("dynamodb", options));
    }

    private static Map<String, String> valid(String name, String value) {
        Map<String, String> options = new HashMap<>(Map.of("table", "gateway-state", "region", "eu-west-1"));
        options.put(name, value);
        return options;
    }

    @Test
    void aTableIsRequiredAndMustBeATableName() {
        assertThatThrownBy(() -> open(Map.of("region", "eu-west-1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("state.table (or GATEWAY_STATE_TABLE): required for store dynamodb")
                .hasMessageContaining("CreateStateTable=true");
        assertThatThrownBy(() -> open(valid("table", "my table")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("state.table (or GATEWAY_STATE_TABLE): 'my table' is not a DynamoDB table name");
        assertThatThrownBy(() -> open(valid("table", "ab")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("3 to 255 letters");
    }

    @Test
    void badRegionEndpointAndTimeoutNameTheirOption() {
        assertThatThrownBy(() -> open(valid("region", "EU West")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("state.region: 'EU West' is not an AWS region; write e.g. us-east-1");
        assertThatThrownBy(() -> open(valid("endpoint", "localhost:8000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("state.endpoint (or GATEWAY_STATE_ENDPOINT): 'localhost:8000' is not an absolute http(s) URL");
        assertThatThrownBy(() -> open(valid("endpoint", "ftp://dynamo.example")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("is not an absolute http(s) URL");
        assertThatThrownBy(() -> open(valid("endpoint", "http://local host")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("is not a URL");
        assertThatThrownBy(() -> open(valid("timeout", "soon")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("state.timeout: 'soon' is not a duration");
        assertThatThrownBy(() -> open(valid("timeout", "0ms")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("state.timeout: must be greater than zero");
    }

    @Test
    void credentialsInTheEndpointAreRefusedWithoutBeingRepeated() {
        assertThatThrownBy(() -> open(valid("endpoint", "http://admin:hunter2@localhost:8000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("carries credentials in the URL")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void anOptionTheStoreDoesNotKnowIsNamed() {
        assertThatThrownBy(() -> open(valid("tabel", "x")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("state.tabel: unknown for store dynamodb; allowed here: endpoint, region, table, timeout");
    }

    @Test
    void withoutARegionAnywhereTheStartStopsAndSaysWhereToSetIt() {
        // the build runs the tests with no profile file and no instance metadata (see the pom)
        assumeTrue(System.getenv("AWS_REGION") == null && System.getProperty("aws.region") == null,
                "AWS_REGION is set in this environment, so a region is found");
        assertThatThrownBy(() -> open(Map.of("table", "gateway-state")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("state.region: no AWS region for the DynamoDB store")
                .hasMessageContaining("set state.region or AWS_REGION");
    }

    @Test
    void openingReachesNothingTheFirstOperationDoes() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        // an unreachable store is each request's fail-open or fail-closed decision, not a refusal to start
        try (StateStore store = open(valid("endpoint", "http://127.0.0.1:" + closed))) {
            assertThat(store.kind()).isEqualTo("dynamodb");
            assertThatThrownBy(() -> store.get("k")).isInstanceOf(StateStoreException.class);
        }
    }

    @Test
    void theStateTableVariableChoosesThisStoreThroughTheConfiguration(@TempDir Path dir) throws Exception {
        try (LocalDynalite dynalite = LocalDynalite.start()) {
            LocalStateTable.create(dynalite.endpoint(), "from-the-environment");
            Path file = dir.resolve("gateway.yaml");
            Files.writeString(file, "state:\n  region: " + LocalStateTable.REGION + "\n  timeout: 10s\n");
            GatewayConfig config = ConfigLoader.load(Map.of(
                    "GATEWAY_CONFIG", file.toString(),
                    "BACKEND_URL", "http://127.0.0.1:9/v1/chat/completions",
                    "GATEWAY_STATE_TABLE", "from-the-environment",
                    "GATEWAY_STATE_ENDPOINT", dynalite.endpoint().toString()));
            try (StateStore store = StateStores.open(config.access().state());
                 StateStore other = StateStores.open(config.access().state())) {
                assertThat(store).isInstanceOf(DynamoDbStateStore.class);
                assertThat(store.reserve("budget", 7, 10, Instant.now().plusSeconds(60)).granted()).isTrue();
                assertThat(other.reserve("budget", 7, 10, Instant.now().plusSeconds(60)).granted()).isFalse();
                other.putValue("cached", new byte[] {4, 2}, Duration.ofMinutes(1));
                assertThat(store.getValue("cached")).hasValueSatisfying(v -> assertThat(v).containsExactly(4, 2));
            }
        }
    }
}
