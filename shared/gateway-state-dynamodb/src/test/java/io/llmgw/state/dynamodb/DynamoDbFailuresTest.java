package io.llmgw.state.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.bucket4j.BucketConfiguration;
import io.llmgw.core.state.StateStore;
import io.llmgw.core.state.StateStoreException;
import io.llmgw.testing.LocalDynalite;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * What a caller sees when the store cannot serve: every operation throws
 * {@link StateStoreException} (the limits' fail-open or fail-closed decision), with a message that
 * says what to do for a missing table, and within the configured timeout for a store that hangs.
 */
class DynamoDbFailuresTest {
    private static final BucketConfiguration TEN = BucketConfiguration.builder()
            .addLimit(limit -> limit.capacity(10).refillGreedy(10, Duration.ofMinutes(1))).build();

    /** Every operation of the port, so none of them can leak an SDK exception or hang. */
    private static final List<Consumer<StateStore>> OPERATIONS = List.of(
            store -> store.reserve("k", 1, 10, Instant.now().plusSeconds(60)),
            store -> store.add("k", 1, Instant.now().plusSeconds(60)),
            store -> store.get("k"),
            store -> store.getValue("k"),
            store -> store.putValue("k", new byte[] {1}, Duration.ofMinutes(1)),
            store -> store.deleteValue("k"),
            store -> store.buckets().builder().build("k", () -> TEN).tryConsume(1),
            store -> store.buckets().removeProxy("k"));

    @Test
    void aMissingTableSaysWhichTableAndHowToCreateIt() throws Exception {
        try (LocalDynalite dynalite = LocalDynalite.start();
             StateStore store = new DynamoDbStateStoreFactory().open(LocalStateTable.options(dynalite.endpoint(), "never-created"))) {
            for (Consumer<StateStore> operation : OPERATIONS) {
                assertThatThrownBy(() -> operation.accept(store))
                        .isInstanceOf(StateStoreException.class)
                        .hasMessageContaining("DynamoDB state table 'never-created' does not exist at " + dynalite.endpoint())
                        .hasMessageContaining("create it (partition key pk and sort key sk, both strings; TTL on expires_at)")
                        .hasMessageContaining("CreateStateTable=true");
            }
        }
    }

    @Test
    void aStoreThatAcceptsConnectionsButNeverAnswersFailsWithinTheTimeout() throws Exception {
        // the kernel completes connections into the backlog; nothing ever reads or answers them
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             StateStore store = new DynamoDbStateStoreFactory().open(Map.of("table", "gateway-state", "region", "us-east-1",
                     "endpoint", "http://127.0.0.1:" + silent.getLocalPort(), "timeout", "300ms"))) {
            for (Consumer<StateStore> operation : OPERATIONS) {
                // the bound is generous against a loaded machine; without the timeout each call would wait forever
                assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> operation.accept(store))
                        .isInstanceOf(StateStoreException.class)
                        .hasMessageContaining("DynamoDB state table 'gateway-state' at http://127.0.0.1:" + silent.getLocalPort())
                        .hasMessageContaining("300 millis"));
            }
        }
    }

    @Test
    void aStoreNobodyListensOnFailsAsUnreachable() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        try (StateStore store = new DynamoDbStateStoreFactory().open(Map.of("table", "gateway-state", "region", "us-east-1",
                "endpoint", "http://127.0.0.1:" + closed, "timeout", "1s"))) {
            for (Consumer<StateStore> operation : OPERATIONS) {
                assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> operation.accept(store))
                        .isInstanceOf(StateStoreException.class)
                        .hasMessageContaining("at http://127.0.0.1:" + closed)
                        .satisfies(e -> assertThat(e.getCause()).isNotNull()));
            }
        }
    }
}
