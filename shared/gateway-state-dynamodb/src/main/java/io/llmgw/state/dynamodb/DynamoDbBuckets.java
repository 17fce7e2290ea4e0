package io.llmgw.state.dynamodb;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AbstractCompareAndSwapBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AsyncCompareAndSwapOperation;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.CompareAndSwapOperation;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import io.llmgw.state.dynamodb.StateTable.Kind;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Bucket4j's compare-and-swap protocol on the state table (Bucket4j has no DynamoDB backend in
 * the versions available to this build): the bucket's serialized state is a binary attribute, and
 * a swap is a put conditional on the attribute still holding the bytes that were read — or, for a
 * new bucket, on no live item being there. Bucket4j retries a lost swap with a fresh read.
 *
 * <p>Each write expires when the bucket would have refilled completely (plus
 * {@link #KEEP_AFTER_REFILL}): from then on a fresh, full bucket is the same thing, so idle
 * buckets cost nothing and DynamoDB's TTL removes them.
 */
final class DynamoDbBuckets extends AbstractCompareAndSwapBasedProxyManager<String> {
    /** Slack past the full refill, for clocks that differ between instances. */
    static final Duration KEEP_AFTER_REFILL = Duration.ofMinutes(1);
    private static final String STATE = "state";
    // The SDK's async client would need Netty or the CRT; the URL connection blocks, so an async
    // call runs the blocking one on a virtual thread of its own.
    private static final Executor VIRTUAL_THREADS = task -> Thread.ofVirtual().name("dynamodb-bucket").start(task);

    private final StateTable table;

    DynamoDbBuckets(StateTable table) {
        super(ClientSideConfig.getDefault().withExpirationAfterWriteStrategy(
                ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_REFILL)));
        this.table = table;
    }

    @Override
    protected CompareAndSwapOperation beginCompareAndSwapOperation(String key) {
        return new CompareAndSwapOperation() {
            @Override
            public Optional<byte[]> getStateData(Optional<Long> timeoutNanos) {
                Map<String, AttributeValue> live = table.getLive(key, Kind.BUCKET);
                return live == null ? Optional.empty() : Optional.of(live.get(STATE).b().asByteArray());
            }

            @Override
            public boolean compareAndSwap(byte[] originalData, byte[] newData, RemoteBucketState newState,
                                          Optional<Long> timeoutNanos) {
                return swap(key, originalData, newData, newState);
            }
        };
    }

    @Override
    protected AsyncCompareAndSwapOperation beginAsyncCompareAndSwapOperation(String key) {
        CompareAndSwapOperation sync = beginCompareAndSwapOperation(key);
        return new AsyncCompareAndSwapOperation() {
            @Override
            public CompletableFuture<Optional<byte[]>> getStateData(Optional<Long> timeoutNanos) {
                return CompletableFuture.supplyAsync(() -> sync.getStateData(timeoutNanos), VIRTUAL_THREADS);
            }

            @Override
            public CompletableFuture<Boolean> compareAndSwap(byte[] originalData, byte[] newData, RemoteBucketState newState,
                                                             Optional<Long> timeoutNanos) {
                return CompletableFuture.supplyAsync(() -> sync.compareAndSwap(originalData, newData, newState, timeoutNanos),
                        VIRTUAL_THREADS);
            }
        };
    }

    @Override
    public void removeProxy(String key) {
        table.delete(key, Kind.BUCKET);
    }

    @Override
    protected CompletableFuture<Void> removeAsync(String key) {
        return CompletableFuture.runAsync(() -> removeProxy(key), VIRTUAL_THREADS);
    }

    @Override
    public boolean isAsyncModeSupported() {
        return true;
    }

    @Override
    public boolean isExpireAfterWriteSupported() {
        return true;
    }

    private boolean swap(String key, byte[] originalData, byte[] newData, RemoteBucketState newState) {
        long ttl = getClientSideConfig().getExpirationAfterWriteStrategy().orElseThrow()
                .calculateTimeToLiveMillis(newState, currentTimeNanos());
        Map<String, AttributeValue> item = table.newItem(key, Kind.BUCKET, table.now() + Math.max(ttl, KEEP_AFTER_REFILL.toMillis()));
        item.put(STATE, AttributeValue.fromB(SdkBytes.fromByteArray(newData)));
        if (originalData == null) {
            return table.putUnlessLive(item, "create a bucket");
        }
        return table.putIf(item, "update a bucket", "#state = :read", Map.of("#state", STATE),
                Map.of(":read", AttributeValue.fromB(SdkBytes.fromByteArray(originalData))));
    }
}
