package io.llmgw.state.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.bucket4j.BucketConfiguration;
import io.llmgw.core.state.StateStore;
import io.llmgw.core.state.StateStoreException;
import io.llmgw.testing.LocalRedis;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A store that cannot be reached, or hangs, or refuses the credentials, fails every operation with
 * {@link StateStoreException} — what the limits fail open or closed on — within its timeout, and
 * works again once the server is back.
 */
class RedisFailureTest {
    private static final Duration TIMEOUT = Duration.ofMillis(500);
    /** Far below Lettuce's own 60 s default and "forever"; generous for a busy machine. */
    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final BucketConfiguration PER_MINUTE = BucketConfiguration.builder()
            .addLimit(limit -> limit.capacity(10).refillGreedy(10, Duration.ofMinutes(1)))
            .build();

    private static StateStore open(String url) {
        return new RedisStateStoreFactory().open(Map.of("url", url, "timeout", TIMEOUT.toMillis() + "ms"));
    }

    /** Every operation of the port, as a caller would make it. */
    private static List<Consumer<StateStore>> everyOperation() {
        Instant later = Instant.now().plusSeconds(60);
        return List.of(
                store -> store.reserve("r", 1, 10, later),
                store -> store.add("a", 1, later),
                store -> store.get("g"),
                store -> store.getValue("v"),
                store -> store.putValue("v", new byte[] {1}, Duration.ofMinutes(1)),
                store -> store.deleteValue("v"),
                store -> store.buckets().builder().build("b", () -> PER_MINUTE).tryConsume(1),
                store -> store.buckets().removeProxy("b"),
                store -> {
                    try {
                        store.buckets().asAsync().builder().build("b", () -> CompletableFuture.completedFuture(PER_MINUTE)).tryConsume(1).get();
                    } catch (ExecutionException e) {
                        throw e.getCause() instanceof RuntimeException runtime ? runtime : new CompletionException(e.getCause());
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    private static void assertEveryOperationFails(StateStore store, String... notInMessages) {
        for (Consumer<StateStore> operation : everyOperation()) {
            assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(() -> operation.accept(store))
                    .isInstanceOf(StateStoreException.class)
                    .satisfies(e -> assertThat(e.getMessage()).startsWith("redis://127.0.0.1:"))
                    .satisfies(e -> {
                        for (Throwable t = e; t != null; t = t.getCause()) {
                            for (String secret : notInMessages) {
                                assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
                                assertThat(t.toString()).doesNotContain(secret);
                            }
                        }
                    }));
        }
    }

    @Test
    void nothingListeningFailsEveryOperationAtOnce() {
        try (StateStore store = open("redis://127.0.0.1:" + LocalRedis.freePort())) {
            assertEveryOperationFails(store);
        }
    }

    @Test
    void aServerThatNeverAnswersFailsEveryOperationWithinTheTimeout() throws IOException {
        try (SilentServer silent = new SilentServer(); StateStore store = open("redis://127.0.0.1:" + silent.port())) {
            assertEveryOperationFails(store);
            assertThatThrownBy(() -> store.get("x")).hasMessageContaining("within " + TIMEOUT.toMillis() + " ms");
        }
    }

    @Test
    void aStoreOpenedWhileTheServerIsDownWorksOnceItIsUp() {
        int port = LocalRedis.freePort();
        try (StateStore store = open("redis://127.0.0.1:" + port)) {
            assertThatThrownBy(() -> store.add("early", 1, Instant.now().plusSeconds(60))).isInstanceOf(StateStoreException.class);
            LocalRedis redis = LocalRedis.startOn(port);
            try {
                assertThat(store.add("early", 1, Instant.now().plusSeconds(60))).isEqualTo(1);
            } finally {
                redis.close();
            }
        }
    }

    @Test
    void anOutageFailsFastAndTheStoreRecoversWhenTheServerReturns() throws InterruptedException {
        LocalRedis redis = LocalRedis.start();
        int port = redis.port();
        try (StateStore store = open(redis.url())) {
            Instant later = Instant.now().plusSeconds(60);
            assertThat(store.add("kept", 1, later)).isEqualTo(1);
            redis.close();
            assertEveryOperationFails(store);
            redis = LocalRedis.startOn(port);
            // Lettuce reconnects by itself, with a back-off; a fresh server has lost the counter
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            Long total = null;
            while (total == null && System.nanoTime() < deadline) {
                try {
                    total = store.add("kept", 1, later);
                } catch (StateStoreException stillDown) {
                    Thread.sleep(100);
                }
            }
            assertThat(total).isEqualTo(1);
        } finally {
            redis.close();
        }
    }

    @Test
    void aPasswordInTheUrlIsUsedAndNeverShown() {
        String password = "pa55/w@rd?" + System.nanoTime();
        String encoded = password.replace("/", "%2F").replace("@", "%40").replace("?", "%3F");
        try (LocalRedis redis = LocalRedis.start("--requirepass", password)) {
            String hostPort = "127.0.0.1:" + redis.port();
            try (StateStore store = open("redis://:" + encoded + "@" + hostPort)) {
                assertThat(store.reserve("p", 5, 10, Instant.now().plusSeconds(60))).isEqualTo(new StateStore.Reservation(true, 5));
                assertThat(store.buckets().builder().build("p", () -> PER_MINUTE).tryConsume(10)).isTrue();
            }
            try (StateStore wrong = open("redis://:wrong-" + encoded + "@" + hostPort)) {
                assertEveryOperationFails(wrong, password, encoded, "wrong-");
            }
            try (StateStore none = open("redis://" + hostPort)) {
                assertThatThrownBy(() -> none.get("p")).isInstanceOf(StateStoreException.class).hasMessageContaining("NOAUTH");
            }
        }
    }

    @Test
    void aHandshakeRefusedAtOnceIsReportedWithTheServersReason() throws IOException {
        // The refusal is written before the client's first command arrives, so the handshake fails
        // as fast as it can: the case in which Lettuce loses the reason unless the store asks again.
        byte[] refusal = "-NOAUTH Authentication required.\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (SilentServer refusing = new SilentServer(refusal)) {
            for (int attempt = 0; attempt < 20; attempt++) {
                try (StateStore store = open("redis://127.0.0.1:" + refusing.port())) {
                    assertThatThrownBy(() -> store.get("p")).isInstanceOf(StateStoreException.class).hasMessageContaining("NOAUTH");
                }
            }
        }
    }

    /** Accepts connections and never writes a byte (or only its greeting, then closes): a store that hangs or refuses. */
    private static final class SilentServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> accepted = new ArrayList<>();
        private final byte[] greeting;
        private final Thread acceptor = Thread.ofVirtual().start(this::acceptForever);

        SilentServer() throws IOException {
            this(null);
        }

        /** @param greeting written to each connection as it is accepted, which is then closed; null for silence */
        SilentServer(byte[] greeting) throws IOException {
            this.greeting = greeting;
        }

        int port() {
            return socket.getLocalPort();
        }

        private void acceptForever() {
            try {
                while (true) {
                    Socket client = socket.accept();
                    if (greeting != null) {
                        try (client) {
                            client.getOutputStream().write(greeting);
                        } catch (IOException gone) {
                            // the client left first
                        }
                        continue;
                    }
                    synchronized (accepted) {
                        accepted.add(client);
                    }
                }
            } catch (IOException closed) {
                // close() ends the loop
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            synchronized (accepted) {
                for (Socket client : accepted) {
                    client.close();
                }
            }
            acceptor.interrupt();
        }
    }
}
