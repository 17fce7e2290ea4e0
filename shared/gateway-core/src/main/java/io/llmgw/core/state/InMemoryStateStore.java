package io.llmgw.core.state;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;

/**
 * The state store of a single process (the local run, one container): exact, and only as shared
 * as the process is. Buckets are Bucket4j's compare-and-swap over a map (so they behave exactly as
 * on Redis and DynamoDB); values are bounded by total size with least-recently-used eviction.
 * Nothing grows without bound: counters leave at their expiry, and a bucket untouched for
 * {@link #IDLE_BUCKET} has refilled (every limit we configure refills within a day) and is
 * dropped, as is the least recently used bucket past {@link #MAX_BUCKETS} — a flood of new client
 * addresses costs memory up to that bound and then only resets the oldest idle buckets.
 */
public final class InMemoryStateStore implements StateStore {
    /** Values kept at most, in bytes (cached responses and stored Responses share it). */
    public static final long DEFAULT_MAX_VALUE_BYTES = 256L * 1024 * 1024;
    static final Duration IDLE_BUCKET = Duration.ofHours(25);
    static final long MAX_BUCKETS = 500_000;

    private record Counter(long total, Instant expiresAt) {}

    private record Value(byte[] bytes, long expiresAtNanos) {}

    private final Clock clock;
    private final ConcurrentMap<String, Counter> counters;
    private final Cache<String, Value> values;
    private final ProxyManager<String> buckets;

    public InMemoryStateStore() {
        this(Clock.systemUTC(), DEFAULT_MAX_VALUE_BYTES);
    }

    public InMemoryStateStore(Clock clock, long maxValueBytes) {
        this(clock, maxValueBytes, () -> { });
    }

    /** @param evicted called for each value dropped to stay within {@code maxValueBytes} (not for expiry) */
    public InMemoryStateStore(Clock clock, long maxValueBytes, Runnable evicted) {
        this.clock = clock;
        this.values = Caffeine.newBuilder()
                .executor(Runnable::run)  // evictions happen (and are reported) within the put that caused them
                .maximumWeight(maxValueBytes)
                .evictionListener((String key, Value value, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
                    if (cause == com.github.benmanes.caffeine.cache.RemovalCause.SIZE) {
                        evicted.run();
                    }
                })
                .weigher((String key, Value value) -> key.length() * 2 + value.bytes().length + 64)
                .expireAfter(new Expiry<String, Value>() {
                    @Override
                    public long expireAfterCreate(String key, Value value, long now) {
                        return Math.max(0, value.expiresAtNanos() - now);
                    }

                    @Override
                    public long expireAfterUpdate(String key, Value value, long now, long remaining) {
                        return Math.max(0, value.expiresAtNanos() - now);
                    }

                    @Override
                    public long expireAfterRead(String key, Value value, long now, long remaining) {
                        return remaining;
                    }
                })
                .build();
        this.counters = Caffeine.newBuilder()
                .expireAfter(new Expiry<String, Counter>() {
                    @Override
                    public long expireAfterCreate(String key, Counter counter, long now) {
                        return untilExpiry(counter);
                    }

                    @Override
                    public long expireAfterUpdate(String key, Counter counter, long now, long remaining) {
                        return untilExpiry(counter);
                    }

                    @Override
                    public long expireAfterRead(String key, Counter counter, long now, long remaining) {
                        return remaining;
                    }
                })
                .<String, Counter>build()
                .asMap();
        ConcurrentMap<String, byte[]> bucketStates = Caffeine.newBuilder()
                .expireAfterAccess(IDLE_BUCKET)
                .maximumSize(MAX_BUCKETS)
                .<String, byte[]>build()
                .asMap();
        this.buckets = new MapBuckets(bucketStates);
    }

    @Override
    public ProxyManager<String> buckets() {
        return buckets;
    }

    @Override
    public Reservation reserve(String key, long amount, long limit, Instant expiresAt) {
        boolean[] granted = {false};
        Counter after = counters.compute(key, (k, current) -> {
            Counter live = live(current);
            long total = live == null ? 0 : live.total();
            if (total + amount > limit) {
                return live;
            }
            granted[0] = true;
            return new Counter(total + amount, live == null ? expiresAt : live.expiresAt());
        });
        return new Reservation(granted[0], after == null ? 0 : after.total());
    }

    @Override
    public long add(String key, long delta, Instant expiresAt) {
        return counters.compute(key, (k, current) -> {
            Counter live = live(current);
            return new Counter((live == null ? 0 : live.total()) + delta, live == null ? expiresAt : live.expiresAt());
        }).total();
    }

    @Override
    public long get(String key) {
        Counter live = live(counters.get(key));
        return live == null ? 0 : live.total();
    }

    @Override
    public Optional<byte[]> getValue(String key) {
        Value value = values.getIfPresent(key);
        return value == null ? Optional.empty() : Optional.of(value.bytes().clone());
    }

    @Override
    public void putValue(String key, byte[] value, Duration ttl) {
        values.put(key, new Value(value.clone(), System.nanoTime() + ttl.toNanos()));
    }

    @Override
    public void deleteValue(String key) {
        values.invalidate(key);
    }

    @Override
    public String kind() {
        return "memory";
    }

    private long untilExpiry(Counter counter) {
        // a day past the window on the wall clock: live() decides, this only reclaims the memory
        return Math.max(0, Duration.between(clock.instant(), counter.expiresAt()).plusDays(1).toNanos());
    }

    private Counter live(Counter counter) {
        return counter == null || !clock.instant().isBefore(counter.expiresAt()) ? null : counter;
    }

    /** Bucket4j's compare-and-swap protocol over a map: the same bucket semantics the shared stores use. */
    private static final class MapBuckets extends CompareAndSwapBuckets {
        private final ConcurrentMap<String, byte[]> states;

        MapBuckets(ConcurrentMap<String, byte[]> states) {
            super(ClientSideConfig.getDefault(), Runnable::run);
            this.states = states;
        }

        @Override
        protected Optional<byte[]> read(String key) {
            return Optional.ofNullable(states.get(key));
        }

        @Override
        protected boolean swap(String key, byte[] originalData, byte[] newData, RemoteBucketState newState) {
            if (originalData == null) {
                return states.putIfAbsent(key, newData) == null;
            }
            byte[][] swapped = {null};
            states.computeIfPresent(key, (k, current) -> {
                if (Arrays.equals(current, originalData)) {
                    swapped[0] = newData;
                    return newData;
                }
                return current;
            });
            return swapped[0] != null;
        }

        @Override
        public void removeProxy(String key) {
            states.remove(key);
        }
    }
}
