package io.llmgw.state.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.llmgw.core.state.StateStore;
import io.llmgw.core.state.StateStoreContract;
import io.llmgw.testing.LocalDynalite;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The store contract against a real DynamoDB-protocol server (dynalite on loopback), every client
 * a store of its own opened from options as the gateway opens it (its own SDK client and
 * connections, the default credential chain), plus what is particular to DynamoDB: items that
 * expired but are not yet deleted, the TTL attribute on every item, keys longer than DynamoDB's.
 */
class DynamoDbStateStoreTest extends StateStoreContract {
    private static final String TABLE = "gateway-state";
    private static LocalDynalite dynalite;

    private DynamoDbClient raw;
    private String prefix;

    @BeforeAll
    static void startDynalite() throws Exception {
        dynalite = LocalDynalite.start();
        LocalStateTable.create(dynalite.endpoint(), TABLE);
        // the SDK's classes load once, not inside the first test's 20 racing threads
        try (StateStore warm = new DynamoDbStateStoreFactory().open(LocalStateTable.options(dynalite.endpoint(), TABLE))) {
            warm.add("warm-up", 1, Instant.now().plusSeconds(1));
        }
    }

    @AfterAll
    static void stopDynalite() {
        if (dynalite != null) {
            dynalite.close();
        }
    }

    @BeforeEach
    void rawClient() {
        raw = LocalStateTable.client(dynalite.endpoint());
        prefix = "dynamo:" + UUID.randomUUID() + ":";
    }

    @AfterEach
    void closeRawClient() {
        raw.close();
    }

    @Override
    protected StateStore openClient() {
        return new DynamoDbStateStoreFactory().open(LocalStateTable.options(dynalite.endpoint(), TABLE));
    }

    @Test
    void itemsPastTheirExpiryButNotYetDeletedReadAsAbsent() throws Exception {
        // DynamoDB's TTL deletes days late: these are what a read finds in the meantime
        long past = System.currentTimeMillis() - 5_000;
        putRaw(prefix + "counter", "c", past, Map.of("total", AttributeValue.fromN("90")));
        putRaw(prefix + "added", "c", past, Map.of("total", AttributeValue.fromN("90")));
        putRaw(prefix + "value", "v", past, Map.of("data", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {1}))));
        // not a bucket state Bucket4j could read: reading it at all would fail the consume below
        putRaw(prefix + "bucket", "b", past, Map.of("state", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {9, 9}))));
        StateStore store = client();

        assertThat(store.get(prefix + "counter")).isZero();
        assertThat(store.getValue(prefix + "value")).isEmpty();
        Instant window = Instant.now().plusSeconds(60);
        assertThat(store.reserve(prefix + "counter", 15, 20, window)).isEqualTo(new StateStore.Reservation(true, 15));
        assertThat(store.add(prefix + "added", 4, window)).isEqualTo(4);
        BucketConfiguration two = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(2).refillGreedy(2, Duration.ofMinutes(1))).build();
        assertThat(store.buckets().builder().build(prefix + "bucket", () -> two).tryConsume(2)).isTrue();

        // the restarted counter took the new window
        Map<String, AttributeValue> counter = getRaw(prefix + "counter", "c");
        assertThat(counter.get("total").n()).isEqualTo("15");
        assertThat(counter.get("expires_ms").n()).isEqualTo(Long.toString(window.toEpochMilli()));
    }

    @Test
    void everyItemCarriesItsExpiryInEpochSecondsForDynamoDbTtl() {
        StateStore store = client();
        Instant window = Instant.parse("2100-01-01T00:00:00.250Z");
        store.reserve(prefix + "reserved", 1, 10, window);
        store.add(prefix + "added", 1, window);
        long before = System.currentTimeMillis();
        store.putValue(prefix + "value", new byte[] {1}, Duration.ofSeconds(90));
        BucketConfiguration perHour = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(10).refillGreedy(10, Duration.ofHours(1))).build();
        store.buckets().builder().build(prefix + "bucket", () -> perHour).tryConsume(5);
        long after = System.currentTimeMillis();

        for (String counter : new String[] {"reserved", "added"}) {
            // rounded up: TTL must never delete an item before it expired
            assertThat(expiresAt(getRaw(prefix + counter, "c"))).isEqualTo(window.getEpochSecond() + 1);
        }
        assertThat(expiresAt(getRaw(prefix + "value", "v"))).isBetween(before / 1000 + 90, after / 1000 + 91);
        // half the bucket to refill (30 min) plus the minute kept after a full refill
        long bucketExpiry = expiresAt(getRaw(prefix + "bucket", "b"));
        assertThat(bucketExpiry).isBetween(before / 1000 + 31 * 60 - 1, after / 1000 + 31 * 60 + 1);
    }

    @Test
    void keysLongerThanDynamoDbAllowsAreStoredByTheirHash() {
        StateStore store = client();
        String model = "m".repeat(5_000);
        store.add(prefix + model + "a", 3, Instant.now().plusSeconds(60));
        store.add(prefix + model + "b", 4, Instant.now().plusSeconds(60));
        store.putValue(prefix + model, new byte[] {7}, Duration.ofMinutes(1));

        assertThat(store.get(prefix + model + "a")).isEqualTo(3);
        assertThat(store.get(prefix + model + "b")).isEqualTo(4);
        assertThat(client().getValue(prefix + model)).hasValueSatisfying(value -> assertThat(value).containsExactly(7));
        assertThat(StateTable.partitionKey(prefix + model)).startsWith("#sha256:").hasSize(8 + 64);
    }

    @Test
    void aValueOfTheStatedMaximumFitsAnItemEvenUnderTheLongestPlainKey() {
        StateStore store = client();
        assertThat(store.maxValueBytes()).isEqualTo(DynamoDbStateStore.MAX_VALUE_BYTES);
        String longest = prefix + "k".repeat(StateTable.MAX_PLAIN_KEY_BYTES - prefix.length());
        byte[] value = new byte[(int) store.maxValueBytes()];
        java.util.Arrays.fill(value, (byte) 'x');
        store.putValue(longest, value, Duration.ofMinutes(1));
        assertThat(client().getValue(longest)).hasValueSatisfying(stored -> assertThat(stored).hasSize(value.length));
        // what the stated maximum keeps clear of: DynamoDB's 400 KB item limit
        byte[] tooLarge = new byte[400 * 1024];
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.putValue(prefix + "too-large", tooLarge, Duration.ofMinutes(1)))
                .isInstanceOf(io.llmgw.core.state.StateStoreException.class);
    }

    @Test
    void bucketsWorkThroughBucket4jsAsyncApiToo() throws Exception {
        BucketConfiguration three = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(3).refillGreedy(3, Duration.ofMinutes(1))).build();
        AsyncBucketProxy first = client().buckets().asAsync().builder()
                .build(prefix + "async", () -> CompletableFuture.completedFuture(three));
        AsyncBucketProxy second = client().buckets().asAsync().builder()
                .build(prefix + "async", () -> CompletableFuture.completedFuture(three));

        assertThat(first.tryConsume(2).get()).isTrue();
        assertThat(second.tryConsume(2).get()).isFalse();
        assertThat(second.tryConsume(1).get()).isTrue();
        assertThat(first.getAvailableTokens().get()).isZero();
    }

    @Test
    void removingABucketStartsItAfresh() {
        BucketConfiguration one = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(1).refillGreedy(1, Duration.ofHours(1))).build();
        StateStore store = client();
        assertThat(store.buckets().builder().build(prefix + "gone", () -> one).tryConsume(1)).isTrue();
        assertThat(store.buckets().builder().build(prefix + "gone", () -> one).tryConsume(1)).isFalse();
        store.buckets().removeProxy(prefix + "gone");
        assertThat(getRaw(prefix + "gone", "b")).isEmpty();
        assertThat(store.buckets().builder().build(prefix + "gone", () -> one).tryConsume(1)).isTrue();
    }

    @Test
    void itCallsItselfDynamodb() {
        assertThat(client().kind()).isEqualTo("dynamodb");
    }

    private void putRaw(String key, String kind, long expiresAtMillis, Map<String, AttributeValue> attributes) {
        Map<String, AttributeValue> item = new HashMap<>(attributes);
        item.put("pk", AttributeValue.fromS(key));
        item.put("sk", AttributeValue.fromS(kind));
        item.put("expires_ms", AttributeValue.fromN(Long.toString(expiresAtMillis)));
        item.put("expires_at", AttributeValue.fromN(Long.toString(expiresAtMillis / 1000)));
        raw.putItem(put -> put.tableName(TABLE).item(item));
    }

    private Map<String, AttributeValue> getRaw(String key, String kind) {
        return raw.getItem(get -> get.tableName(TABLE).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(key), "sk", AttributeValue.fromS(kind)))).item();
    }

    private static long expiresAt(Map<String, AttributeValue> item) {
        AttributeValue ttl = item.get("expires_at");
        assertThat(ttl).as("expires_at").isNotNull();
        assertThat(ttl.n()).as("whole epoch seconds").matches("\\d+");
        long seconds = Long.parseLong(ttl.n());
        long millis = Long.parseLong(item.get("expires_ms").n());
        assertThat(seconds * 1000).as("never before the exact expiry").isBetween(millis, millis + 999);
        return seconds;
    }
}
