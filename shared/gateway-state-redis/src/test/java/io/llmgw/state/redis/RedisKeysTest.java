package io.llmgw.state.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bucket4j.BucketConfiguration;
import io.llmgw.core.state.StateStore;
import io.llmgw.core.state.StateStoreException;
import io.llmgw.testing.LocalRedis;
import io.llmgw.testing.PerClassServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the store leaves in Redis, read back with a connection of the test's own: key names and expiries. */
class RedisKeysTest {
    @RegisterExtension
    static final PerClassServer<LocalRedis> REDIS = new PerClassServer<>(LocalRedis::start);
    private static RedisClient rawClient;
    private static StatefulRedisConnection<String, String> rawConnection;
    private RedisCommands<String, String> raw;
    private String prefix;
    private StateStore store;

    @BeforeAll
    static void connect() {
        rawClient = RedisClient.create(REDIS.get().url());
        rawConnection = rawClient.connect();
    }

    @AfterAll
    static void disconnect() {
        if (rawClient != null) {
            rawConnection.close();
            rawClient.shutdown();
        }
    }

    @BeforeEach
    void openStore() {
        raw = rawConnection.sync();
        prefix = "t" + UUID.randomUUID() + ":";
        store = open(prefix);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private static StateStore open(String prefix) {
        return new RedisStateStoreFactory().open(Map.of("url", REDIS.get().url(), "prefix", prefix));
    }

    @Test
    void aCounterExpiresAtTheInstantItWasCreatedWithAndKeepsIt() {
        Instant end = Instant.now().plus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        store.reserve("budget", 10, 100, end);
        assertThat(raw.pexpiretime(prefix + "c:budget")).isEqualTo(end.toEpochMilli());
        store.add("budget", 5, end.plus(1, ChronoUnit.HOURS));
        store.reserve("budget", 5, 100, end.plus(2, ChronoUnit.HOURS));
        assertThat(raw.pexpiretime(prefix + "c:budget")).isEqualTo(end.toEpochMilli());
        assertThat(raw.get(prefix + "c:budget")).isEqualTo("20");

        store.add("spent", -3, end);
        assertThat(raw.pexpiretime(prefix + "c:spent")).isEqualTo(end.toEpochMilli());
    }

    @Test
    void aRefusedReservationOnAnEmptyCounterWritesNothing() {
        store.reserve("small", 101, 100, Instant.now().plusSeconds(60));
        assertThat(raw.exists(prefix + "c:small")).isZero();
    }

    @Test
    void valuesLiveForTheirTimeToLive() {
        store.putValue("cached", new byte[] {1, 2}, Duration.ofSeconds(30));
        assertThat(raw.pttl(prefix + "v:cached")).isBetween(1L, 30_000L);
    }

    @Test
    void aValueWithNoTimeLeftIsNotKept() {
        store.putValue("gone", new byte[] {1}, Duration.ofSeconds(30));
        store.putValue("gone", new byte[] {2}, Duration.ZERO);
        assertThat(raw.exists(prefix + "v:gone")).isZero();
        assertThat(store.getValue("gone")).isEmpty();
    }

    @Test
    void aBucketKeyExpiresOnceTheBucketWouldBeFullAgain() {
        BucketConfiguration perMinute = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(60).refillGreedy(60, Duration.ofMinutes(1)))
                .build();
        assertThat(store.buckets().builder().build("client", () -> perMinute).tryConsume(30)).isTrue();
        // 30 tokens at one a second refill in 30 s; then the key lives KEEP_AFTER_REFILL longer
        long expected = Duration.ofSeconds(30).plus(RedisBuckets.KEEP_AFTER_REFILL).toMillis();
        assertThat(raw.pttl(prefix + "b:client")).isBetween(expected - 5_000, expected);
    }

    @Test
    void asynchronousBucketsAreTheSameBuckets() throws Exception {
        BucketConfiguration one = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(1).refillGreedy(1, Duration.ofMinutes(1)))
                .build();
        assertThat(store.buckets().asAsync().builder().build("async", () -> CompletableFuture.completedFuture(one))
                .tryConsume(1).get()).isTrue();
        assertThat(store.buckets().builder().build("async", () -> one).tryConsume(1)).isFalse();
        assertThat(raw.exists(prefix + "b:async")).isOne();
    }

    @Test
    void thePrefixKeepsTwoStoresApartOnOneServer() {
        String otherPrefix = "o" + UUID.randomUUID() + ":";
        try (StateStore other = open(otherPrefix)) {
            Instant inAMinute = Instant.now().plusSeconds(60);
            assertThat(store.reserve("shared-name", 80, 100, inAMinute).granted()).isTrue();
            assertThat(other.reserve("shared-name", 80, 100, inAMinute).granted()).isTrue();
            assertThat(other.get("shared-name")).isEqualTo(80);

            store.putValue("v", new byte[] {1}, Duration.ofMinutes(1));
            assertThat(other.getValue("v")).isEmpty();

            BucketConfiguration one = BucketConfiguration.builder()
                    .addLimit(limit -> limit.capacity(1).refillGreedy(1, Duration.ofMinutes(1)))
                    .build();
            assertThat(store.buckets().builder().build("b", () -> one).tryConsume(1)).isTrue();
            assertThat(other.buckets().builder().build("b", () -> one).tryConsume(1)).isTrue();

            assertThat(raw.keys(prefix + "*")).containsExactlyInAnyOrder(prefix + "c:shared-name", prefix + "v:v", prefix + "b:b");
            assertThat(raw.keys(otherPrefix + "*")).containsExactlyInAnyOrder(otherPrefix + "c:shared-name", otherPrefix + "b:b");
        }
    }

    @Test
    void theDefaultPrefixIsTheGatewaysName() {
        try (StateStore unprefixed = new RedisStateStoreFactory().open(Map.of("url", REDIS.get().url()))) {
            String key = "default-" + UUID.randomUUID();
            unprefixed.add(key, 1, Instant.now().plusSeconds(60));
            assertThat(raw.exists("llmgw:c:" + key)).isOne();
        }
    }

    @Test
    void aScriptFlushedFromTheServerIsSentAgain() {
        Instant inAMinute = Instant.now().plusSeconds(60);
        store.reserve("r", 1, 10, inAMinute);
        raw.scriptFlush();
        assertThat(store.reserve("r", 1, 10, inAMinute)).isEqualTo(new StateStore.Reservation(true, 2));
        raw.scriptFlush();
        assertThat(store.add("r", 1, inAMinute)).isEqualTo(3);
    }

    @Test
    void aCounterSomeoneElseOverwroteIsReportedNotMisread() {
        raw.set(prefix + "c:foreign", "not a number");
        assertThatThrownBy(() -> store.get("foreign"))
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining("prefix");
    }
}
