package io.llmgw.core.state;

import io.github.bucket4j.distributed.proxy.ProxyManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The one place for state that must hold across instances of the gateway — rate-limit buckets,
 * budget counters, concurrency slots, cached responses, stored Responses — so that a limit
 * configured as N is N however many processes serve it. Implementations: {@link InMemoryStateStore}
 * (one process), Redis and DynamoDB (their own modules). Every operation is atomic across all
 * clients of the same store; keys are the caller's, already namespaced. A store that cannot be
 * reached throws {@link StateStoreException}.
 *
 * <p>The contract is written once as a test suite every implementation runs
 * ({@code io.llmgw.core.state.StateStoreContract} in gateway-core's test jar).
 */
public interface StateStore extends AutoCloseable {
    /** Token buckets kept in this store, as Bucket4j uses them (one bucket per key). */
    ProxyManager<String> buckets();

    /**
     * Adds {@code amount} to the counter at {@code key} only if the total stays at or under
     * {@code limit}; a counter that does not exist (or expired) starts at zero and expires at
     * {@code expiresAt}.
     */
    Reservation reserve(String key, long amount, long limit, Instant expiresAt);

    /** Adds {@code delta} (negative to give back) whatever the total; creates the counter as {@link #reserve} does. The new total. */
    long add(String key, long delta, Instant expiresAt);

    /** The counter's total; zero when it does not exist or expired. */
    long get(String key);

    /** A value kept until it expires; empty when absent or expired. */
    Optional<byte[]> getValue(String key);

    /** Keeps {@code value} for {@code ttl}, replacing what was there. */
    void putValue(String key, byte[] value, Duration ttl);

    void deleteValue(String key);

    /**
     * The largest value {@link #putValue} takes, in bytes; a caller with a larger one must not store it.
     * Unbounded unless the store's items are (DynamoDB's 400 KB).
     */
    default long maxValueBytes() {
        return Long.MAX_VALUE;
    }

    /** What a store calls itself in logs, metrics and {@code /config} (memory, redis, dynamodb). */
    String kind();

    @Override
    default void close() {}

    /**
     * The outcome of {@link #reserve}.
     *
     * @param granted whether the amount was added
     * @param total   the counter's total after the call (unchanged when not granted)
     */
    record Reservation(boolean granted, long total) {}
}
