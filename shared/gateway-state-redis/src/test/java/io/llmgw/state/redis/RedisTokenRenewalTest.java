package io.llmgw.state.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bucket4j.BucketConfiguration;
import io.llmgw.core.state.StateStore;
import io.llmgw.core.state.StateStoreException;
import io.llmgw.testing.LocalRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Signing in with tokens that expire, against a real redis-server whose ACL users take the tokens as
 * passwords: the store signs in with the first token when it connects, sends {@code AUTH} with the
 * renewed one on the same connection before the first expires, reconnects with the newest, keeps
 * the current token when a renewal fails, and never shows a token.
 */
class RedisTokenRenewalTest {
    private static final String ADMIN_PASSWORD = "admin-pw-" + System.nanoTime();
    private static final String FIRST = "first-token-" + System.nanoTime();
    private static final String SECOND = "second-token-" + System.nanoTime();
    /** Renewed after 3/4 of it: about 1.5 s in. */
    private static final Duration SHORT = Duration.ofSeconds(2);
    private static final Duration HOUR = Duration.ofHours(1);
    /** Generous for a busy machine; every wait ends as soon as its condition holds. */
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    private LocalRedis redis;
    private RedisClient adminClient;
    private StatefulRedisConnection<String, String> adminConnection;
    private RedisCommands<String, String> admin;

    @BeforeEach
    void start() {
        redis = LocalRedis.start("--user", "default", "off",
                "--user", "admin", "on", ">" + ADMIN_PASSWORD, "~*", "&*", "+@all",
                "--user", "first", "on", ">" + FIRST, "~*", "&*", "+@all",
                "--user", "second", "on", ">" + SECOND, "~*", "&*", "+@all");
        adminClient = RedisClient.create("redis://admin:" + ADMIN_PASSWORD + "@127.0.0.1:" + redis.port());
        adminConnection = adminClient.connect();
        admin = adminConnection.sync();
    }

    @AfterEach
    void stop() {
        adminConnection.close();
        adminClient.shutdown();
        redis.close();
    }

    private StateStore open(RedisCredentialsSource tokens) {
        RedisSettings settings = RedisSettings.from(Map.of("url", redis.url(), "auth", tokens.auth(), "timeout", "2s"));
        return new RedisStateStore(settings, tokens);
    }

    /** The server's connections signed in as {@code user}, as {@code CLIENT LIST} fields. */
    private List<Map<String, String>> connectionsOf(String user) {
        return Arrays.stream(admin.clientList().split("\n"))
                .map(line -> Arrays.stream(line.trim().split(" "))
                        .filter(field -> field.contains("="))
                        .collect(java.util.stream.Collectors.toMap(f -> f.substring(0, f.indexOf('=')), f -> f.substring(f.indexOf('=') + 1),
                                (a, b) -> a)))
                .filter(fields -> user.equals(fields.get("user")))
                .toList();
    }

    private Optional<String> connectionIdOf(String user) {
        List<Map<String, String>> connections = connectionsOf(user);
        assertThat(connections).hasSizeLessThanOrEqualTo(1);
        return connections.stream().map(c -> c.get("id")).findFirst();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + PATIENCE.toSeconds() + " s: " + what);
            }
            Thread.sleep(50);
        }
    }

    /** One of each kind of operation, as the limits and the cache make them. */
    private static void useEveryKind(StateStore store, String key) {
        Instant later = Instant.now().plusSeconds(60);
        assertThat(store.add(key, 2, later)).isPositive();
        assertThat(store.reserve(key + "-r", 1, 1_000, later).granted()).isTrue();
        store.putValue(key, new byte[] {7}, Duration.ofMinutes(1));
        assertThat(store.getValue(key)).hasValueSatisfying(v -> assertThat(v).containsExactly(7));
        assertThat(store.buckets().builder().build(key, () -> BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(1_000).refillGreedy(1_000, Duration.ofMinutes(1))).build()).tryConsume(1)).isTrue();
    }

    @Test
    void theRenewedTokenIsSentOnTheLiveConnectionBeforeTheFirstExpires() throws InterruptedException {
        ScriptedTokens tokens = new ScriptedTokens().then("first", FIRST, SHORT).then("second", SECOND, HOUR);
        try (StateStore store = open(tokens)) {
            useEveryKind(store, "a");
            String connection = connectionIdOf("first").orElseThrow();

            await("the connection re-authenticated as the second token's user",
                    () -> connectionIdOf("second").filter(connection::equals).isPresent());
            assertThat(connectionIdOf("first")).isEmpty();
            // the first user gone (deleting a user drops its connections): the store's connection is not its any more
            admin.aclDeluser("first");
            useEveryKind(store, "b");
            assertThat(connectionIdOf("second")).contains(connection);
            assertThat(tokens.fetches()).isEqualTo(2);
        }
    }

    @Test
    void aReconnectionSignsInWithTheNewestToken() throws InterruptedException {
        ScriptedTokens tokens = new ScriptedTokens().then("first", FIRST, SHORT).then("second", SECOND, HOUR);
        try (StateStore store = open(tokens)) {
            useEveryKind(store, "a");
            await("renewed", () -> connectionIdOf("second").isPresent());
            String before = connectionIdOf("second").orElseThrow();
            admin.aclDeluser("first");
            admin.clientKill(io.lettuce.core.KillArgs.Builder.user("second"));

            await("the store reconnected", () -> {
                try {
                    return store.add("after", 1, Instant.now().plusSeconds(60)) == 1;
                } catch (StateStoreException reconnecting) {
                    return false;
                }
            });
            assertThat(connectionIdOf("second")).isPresent().get().isNotEqualTo(before);
            useEveryKind(store, "c");
        }
    }

    @Test
    void aFailedRenewalKeepsTheCurrentTokenAndIsRetried() throws InterruptedException {
        ScriptedTokens tokens = new ScriptedTokens().then("first", FIRST, SHORT)
                .thenFailure("identity endpoint unreachable").then("second", SECOND, HOUR);
        try (StateStore store = open(tokens)) {
            useEveryKind(store, "a");
            String connection = connectionIdOf("first").orElseThrow();
            await("the renewal failed once", () -> tokens.fetches() >= 2);
            useEveryKind(store, "b");
            await("the retry re-authenticated the connection", () -> connectionIdOf("second").filter(connection::equals).isPresent());
            assertThat(tokens.fetches()).isEqualTo(3);
        }
    }

    @Test
    void withoutATokenOperationsFailNamingWhyWithoutAskingForEachAndWorkOnceOneComes() throws InterruptedException {
        AtomicBoolean endpointUp = new AtomicBoolean(false);
        AtomicInteger fetches = new AtomicInteger();
        RedisCredentialsSource source = new RedisCredentialsSource() {
            @Override
            public String auth() {
                return "scripted";
            }

            @Override
            public Token fetch() {
                fetches.incrementAndGet();
                if (!endpointUp.get()) {
                    throw new StateStoreException("state.auth scripted: the identity endpoint did not answer", null);
                }
                return new Token("first", FIRST, Instant.now().plus(HOUR));
            }
        };
        try (StateStore store = open(source)) {
            for (int i = 0; i < 10; i++) {
                assertThatThrownBy(() -> store.get("k"))
                        .isInstanceOf(StateStoreException.class)
                        .hasMessage(redis.url() + ": cannot connect: state.auth scripted: the identity endpoint did not answer");
            }
            // one fetch as the store opened, and at most one a second after a failure (more only if this machine stalled)
            assertThat(fetches.get()).isBetween(1, 3);

            endpointUp.set(true);
            await("a token once the endpoint answers", () -> {
                try {
                    return store.add("k", 1, Instant.now().plusSeconds(60)) == 1;
                } catch (StateStoreException stillHeld) {
                    return false;
                }
            });
            useEveryKind(store, "a");
        }
    }

    @Test
    void aRefusedTokenFailsEveryOperationWithoutShowingIt() {
        String refused = "refused-token-" + System.nanoTime();
        ScriptedTokens tokens = new ScriptedTokens().then("first", refused, HOUR);
        try (StateStore store = open(tokens)) {
            assertThatThrownBy(() -> store.add("k", 1, Instant.now().plusSeconds(60)))
                    .isInstanceOf(StateStoreException.class)
                    .hasMessageStartingWith(redis.url() + ": cannot connect: WRONGPASS")
                    .hasMessageContaining("state.auth scripted: the server does not accept the token's user")
                    .satisfies(e -> {
                        for (Throwable t = e; t != null; t = t.getCause()) {
                            assertThat(String.valueOf(t.getMessage())).doesNotContain(refused);
                            assertThat(t.toString()).doesNotContain(refused);
                        }
                    });
        }
    }
}
