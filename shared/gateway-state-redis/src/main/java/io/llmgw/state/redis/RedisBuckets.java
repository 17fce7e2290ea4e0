package io.llmgw.state.redis;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AsyncCompareAndSwapOperation;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.CompareAndSwapOperation;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.RedisApi;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Bucket4j's own Lettuce buckets (compare-and-swap in Lua), with the store's key prefix, its
 * lazily opened connection, and Lettuce's failures turned into
 * {@link io.llmgw.core.state.StateStoreException} so a limit can fail open or closed. A bucket's
 * key expires {@link #KEEP_AFTER_REFILL} after the bucket would have refilled completely: from then
 * on it equals a new bucket, so dropping it changes nothing and idle clients cost no memory.
 */
final class RedisBuckets extends LettuceBasedProxyManager<String> {
    /** Past a full refill; covers clock differences between the instances writing a bucket. */
    static final Duration KEEP_AFTER_REFILL = Duration.ofSeconds(10);

    private final RedisConnection connection;

    RedisBuckets(RedisConnection connection, String keyPrefix) {
        super(new Bucket4jLettuce.LettuceBasedProxyManagerBuilder<>(RedisBuckets.<String>keysUnder(keyPrefix, connection))
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_REFILL)));
        this.connection = connection;
    }

    /**
     * Bucket4j's commands on the store's connection, each key under the prefix. Generic on purpose:
     * Bucket4j hands over its keys as an {@code Object[]}, which a {@code String[]} parameter would
     * reject.
     */
    private static <K> RedisApi<K> keysUnder(String keyPrefix, RedisConnection connection) {
        return new RedisApi<>() {
            @Override
            public <V> RedisFuture<V> eval(String script, ScriptOutputType outputType, K[] keys, byte[][] params) {
                String[] prefixed = new String[keys.length];
                for (int i = 0; i < keys.length; i++) {
                    prefixed[i] = keyPrefix + keys[i];
                }
                return connection.open().async().eval(script, outputType, prefixed, params);
            }

            @Override
            public RedisFuture<byte[]> get(K key) {
                return connection.open().async().get(keyPrefix + key);
            }

            @Override
            public RedisFuture<?> delete(K key) {
                return connection.open().async().del(keyPrefix + key);
            }
        };
    }

    @Override
    protected CompareAndSwapOperation beginCompareAndSwapOperation(String key) {
        CompareAndSwapOperation operation = super.beginCompareAndSwapOperation(key);
        return new CompareAndSwapOperation() {
            @Override
            public Optional<byte[]> getStateData(Optional<Long> timeoutNanos) {
                return connection.translating("reading a rate-limit bucket", () -> operation.getStateData(timeoutNanos));
            }

            @Override
            public boolean compareAndSwap(byte[] originalData, byte[] newData, RemoteBucketState newState, Optional<Long> timeoutNanos) {
                return connection.translating("updating a rate-limit bucket",
                        () -> operation.compareAndSwap(originalData, newData, newState, timeoutNanos));
            }
        };
    }

    @Override
    protected AsyncCompareAndSwapOperation beginAsyncCompareAndSwapOperation(String key) {
        AsyncCompareAndSwapOperation operation = super.beginAsyncCompareAndSwapOperation(key);
        return new AsyncCompareAndSwapOperation() {
            @Override
            public CompletableFuture<Optional<byte[]>> getStateData(Optional<Long> timeoutNanos) {
                return translatingAsync("reading a rate-limit bucket", () -> operation.getStateData(timeoutNanos));
            }

            @Override
            public CompletableFuture<Boolean> compareAndSwap(byte[] originalData, byte[] newData, RemoteBucketState newState,
                                                             Optional<Long> timeoutNanos) {
                return translatingAsync("updating a rate-limit bucket",
                        () -> operation.compareAndSwap(originalData, newData, newState, timeoutNanos));
            }
        };
    }

    @Override
    public void removeProxy(String key) {
        connection.translating("removing a rate-limit bucket", () -> {
            super.removeProxy(key);
            return null;
        });
    }

    @Override
    protected CompletableFuture<Void> removeAsync(String key) {
        return translatingAsync("removing a rate-limit bucket", () -> super.removeAsync(key));
    }

    /** Failures before the command is sent (no connection) and after (Redis errors, timeouts) alike. */
    private <T> CompletableFuture<T> translatingAsync(String operation, Supplier<CompletableFuture<T>> action) {
        CompletableFuture<T> started;
        try {
            started = action.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(connection.translated(operation, e));
        }
        return started.handle((value, failure) -> {
            if (failure == null) {
                return value;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            throw new CompletionException(connection.translated(operation, cause));
        });
    }
}
