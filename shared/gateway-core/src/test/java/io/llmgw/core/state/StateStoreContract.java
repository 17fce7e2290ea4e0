package io.llmgw.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StateStore} promises, written once: each implementation's test extends this
 * class and says how to open clients of one shared store. "Two clients" are two independent
 * connections (for Redis and DynamoDB) or the same instance (in memory), so the concurrency tests
 * exercise the store's own atomicity, not a lock in this process.
 */
public abstract class StateStoreContract {
    private final List<StateStore> opened = new ArrayList<>();
    private String prefix;

    /** A new client of the same backing store every time it is called. */
    protected abstract StateStore openClient();

    /** Expiry is checked with real time; stores with coarse clocks may need a longer pause. */
    protected Duration expiryPause() {
        return Duration.ofMillis(1_300);
    }

    @BeforeEach
    void newPrefix() {
        prefix = "contract:" + UUID.randomUUID() + ":";
    }

    @AfterEach
    void closeClients() {
        opened.forEach(StateStore::close);
        opened.clear();
    }

    protected final StateStore client() {
        StateStore store = openClient();
        opened.add(store);
        return store;
    }

    private String key(String name) {
        return prefix + name;
    }

    private static Instant inAMinute() {
        return Instant.now().plusSeconds(60);
    }

    @Test
    void reserveGrantsUpToTheLimitAndNoFurther() {
        StateStore store = client();
        assertThat(store.reserve(key("c"), 40, 100, inAMinute())).isEqualTo(new StateStore.Reservation(true, 40));
        assertThat(store.reserve(key("c"), 60, 100, inAMinute())).isEqualTo(new StateStore.Reservation(true, 100));
        assertThat(store.reserve(key("c"), 1, 100, inAMinute())).isEqualTo(new StateStore.Reservation(false, 100));
        assertThat(store.get(key("c"))).isEqualTo(100);
    }

    @Test
    void aRefusedReservationLeavesTheTotalAsItWas() {
        StateStore store = client();
        store.reserve(key("c"), 70, 100, inAMinute());
        assertThat(store.reserve(key("c"), 31, 100, inAMinute()).granted()).isFalse();
        assertThat(store.reserve(key("c"), 30, 100, inAMinute()).granted()).isTrue();
        assertThat(store.get(key("c"))).isEqualTo(100);
    }

    @Test
    void anAmountLargerThanTheLimitIsRefusedOnAnEmptyCounter() {
        StateStore store = client();
        assertThat(store.reserve(key("c"), 101, 100, inAMinute())).isEqualTo(new StateStore.Reservation(false, 0));
        assertThat(store.get(key("c"))).isZero();
    }

    @Test
    void addGivesBackAndCreatesCounters() {
        StateStore store = client();
        assertThat(store.add(key("a"), 25, inAMinute())).isEqualTo(25);
        assertThat(store.add(key("a"), -10, inAMinute())).isEqualTo(15);
        assertThat(store.reserve(key("a"), 85, 100, inAMinute()).granted()).isTrue();
        assertThat(store.add(key("fresh"), -3, inAMinute())).isEqualTo(-3);
    }

    @Test
    void absentCountersReadZeroAndKeysAreIndependent() {
        StateStore store = client();
        assertThat(store.get(key("nothing"))).isZero();
        store.add(key("one"), 5, inAMinute());
        assertThat(store.get(key("two"))).isZero();
    }

    @Test
    void aCounterExpiresAtItsFirstExpiryAndStartsAgain() throws InterruptedException {
        StateStore store = client();
        Instant soon = Instant.now().plusMillis(500);
        store.reserve(key("w"), 10, 10, soon);
        // a later write keeps the window the counter was created with
        store.add(key("w"), 0, inAMinute());
        Thread.sleep(expiryPause().toMillis());
        assertThat(store.get(key("w"))).isZero();
        assertThat(store.reserve(key("w"), 10, 10, inAMinute())).isEqualTo(new StateStore.Reservation(true, 10));
    }

    @Test
    void concurrentReservationsFromTwoClientsNeverOvershoot() throws Exception {
        StateStore first = client();
        StateStore second = client();
        AtomicInteger granted = new AtomicInteger();
        List<Callable<Void>> work = new ArrayList<>();
        for (int thread = 0; thread < 16; thread++) {
            StateStore store = thread % 2 == 0 ? first : second;
            work.add(() -> {
                for (int i = 0; i < 20; i++) {
                    if (store.reserve(key("shared"), 3, 200, inAMinute()).granted()) {
                        granted.incrementAndGet();
                    }
                }
                return null;
            });
        }
        runAll(work);
        assertThat(granted.get()).isEqualTo(66);
        assertThat(first.get(key("shared"))).isEqualTo(198);
    }

    @Test
    void concurrentAddsAreNotLost() throws Exception {
        StateStore first = client();
        StateStore second = client();
        List<Callable<Void>> work = new ArrayList<>();
        for (int thread = 0; thread < 8; thread++) {
            StateStore store = thread % 2 == 0 ? first : second;
            work.add(() -> {
                for (int i = 0; i < 25; i++) {
                    store.add(key("sum"), 2, inAMinute());
                }
                return null;
            });
        }
        runAll(work);
        assertThat(second.get(key("sum"))).isEqualTo(400);
    }

    @Test
    void valuesRoundTripEveryByteAndCanBeReplacedAndDeleted() {
        StateStore store = client();
        byte[] all = new byte[256 * 4];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        store.putValue(key("v"), all, Duration.ofMinutes(1));
        assertThat(client().getValue(key("v"))).contains(all);
        store.putValue(key("v"), new byte[] {1, 2, 3}, Duration.ofMinutes(1));
        assertThat(store.getValue(key("v")).orElseThrow()).containsExactly(1, 2, 3);
        store.deleteValue(key("v"));
        assertThat(store.getValue(key("v"))).isEmpty();
        assertThat(store.getValue(key("never"))).isEmpty();
        store.deleteValue(key("never"));
    }

    @Test
    void aReturnedValueCannotChangeTheStoredOne() {
        StateStore store = client();
        byte[] original = {9, 9, 9};
        store.putValue(key("v"), original, Duration.ofMinutes(1));
        original[0] = 0;
        store.getValue(key("v")).orElseThrow()[1] = 0;
        assertThat(store.getValue(key("v")).orElseThrow()).containsExactly(9, 9, 9);
    }

    @Test
    void largeValuesRoundTrip() {
        StateStore store = client();
        byte[] large = new byte[350 * 1024];
        new java.util.Random(7).nextBytes(large);
        store.putValue(key("large"), large, Duration.ofMinutes(1));
        assertThat(store.getValue(key("large"))).contains(large);
    }

    @Test
    void valuesExpire() throws InterruptedException {
        StateStore store = client();
        store.putValue(key("v"), new byte[] {1}, Duration.ofMillis(500));
        Thread.sleep(expiryPause().toMillis());
        assertThat(store.getValue(key("v"))).isEqualTo(Optional.empty());
    }

    @Test
    void aBucketAdmitsItsCapacityAcrossClientsAndThenRefuses() throws Exception {
        BucketConfiguration perMinute = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(50).refillGreedy(50, Duration.ofMinutes(1)))
                .build();
        StateStore first = client();
        StateStore second = client();
        AtomicInteger admitted = new AtomicInteger();
        List<Callable<Void>> work = new ArrayList<>();
        for (int thread = 0; thread < 20; thread++) {
            BucketProxy bucket = (thread % 2 == 0 ? first : second).buckets().builder().build(key("b"), () -> perMinute);
            work.add(() -> {
                for (int i = 0; i < 10; i++) {
                    if (bucket.tryConsume(1)) {
                        admitted.incrementAndGet();
                    }
                }
                return null;
            });
        }
        runAll(work);
        assertThat(admitted.get()).isEqualTo(50);
        BucketProxy again = first.buckets().builder().build(key("b"), () -> perMinute);
        assertThat(again.tryConsumeAndReturnRemaining(1).isConsumed()).isFalse();
        assertThat(again.getAvailableTokens()).isZero();
        assertThat(first.buckets().builder().build(key("other"), () -> perMinute).tryConsume(50)).isTrue();
    }

    @Test
    void aBucketRefillsWithTime() throws InterruptedException {
        BucketConfiguration perSecond = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(2).refillGreedy(2, Duration.ofSeconds(1)))
                .build();
        BucketProxy bucket = client().buckets().builder().build(key("r"), () -> perSecond);
        assertThat(bucket.tryConsume(2)).isTrue();
        assertThat(bucket.tryConsume(1)).isFalse();
        Thread.sleep(expiryPause().toMillis());
        assertThat(bucket.tryConsume(1)).isTrue();
    }

    @Test
    void itNamesItself() {
        assertThat(client().kind()).isNotBlank();
    }

    private static void runAll(List<Callable<Void>> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(work.size());
        try {
            for (Future<Void> future : pool.invokeAll(work)) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
