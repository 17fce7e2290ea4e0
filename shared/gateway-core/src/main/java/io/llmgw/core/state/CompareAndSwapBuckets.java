package io.llmgw.core.state;

import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AbstractCompareAndSwapBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AsyncCompareAndSwapOperation;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.CompareAndSwapOperation;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Bucket4j's compare-and-swap protocol over a store that can read a bucket's bytes, replace them
 * only if they are still the ones read, and delete them: the in-memory store's map and the DynamoDB
 * table. The asynchronous operations run the synchronous ones on {@code async}.
 */
public abstract class CompareAndSwapBuckets extends AbstractCompareAndSwapBasedProxyManager<String> {
    private final Executor async;

    protected CompareAndSwapBuckets(ClientSideConfig config, Executor async) {
        super(config);
        this.async = async;
    }

    /** The bucket's serialized state, or empty when there is none (or none alive). */
    protected abstract Optional<byte[]> read(String key);

    /**
     * Stores {@code newData} if the bucket still holds {@code originalData} — or, when that is null,
     * if there is no bucket — and says whether it did; Bucket4j retries a lost swap with a fresh read.
     */
    protected abstract boolean swap(String key, byte[] originalData, byte[] newData, RemoteBucketState newState);

    @Override
    protected final CompareAndSwapOperation beginCompareAndSwapOperation(String key) {
        return new CompareAndSwapOperation() {
            @Override
            public Optional<byte[]> getStateData(Optional<Long> timeoutNanos) {
                return read(key);
            }

            @Override
            public boolean compareAndSwap(byte[] originalData, byte[] newData, RemoteBucketState newState,
                                          Optional<Long> timeoutNanos) {
                return swap(key, originalData, newData, newState);
            }
        };
    }

    @Override
    protected final AsyncCompareAndSwapOperation beginAsyncCompareAndSwapOperation(String key) {
        return new AsyncCompareAndSwapOperation() {
            @Override
            public CompletableFuture<Optional<byte[]>> getStateData(Optional<Long> timeoutNanos) {
                return CompletableFuture.supplyAsync(() -> read(key), async);
            }

            @Override
            public CompletableFuture<Boolean> compareAndSwap(byte[] originalData, byte[] newData, RemoteBucketState newState,
                                                             Optional<Long> timeoutNanos) {
                return CompletableFuture.supplyAsync(() -> swap(key, originalData, newData, newState), async);
            }
        };
    }

    @Override
    protected final CompletableFuture<Void> removeAsync(String key) {
        return CompletableFuture.runAsync(() -> removeProxy(key), async);
    }

    @Override
    public final boolean isAsyncModeSupported() {
        return true;
    }
}
