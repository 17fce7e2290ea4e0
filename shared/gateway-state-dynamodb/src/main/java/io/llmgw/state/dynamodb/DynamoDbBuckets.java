package io.llmgw.state.dynamodb;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import io.llmgw.core.state.CompareAndSwapBuckets;
import io.llmgw.state.dynamodb.StateTable.Kind;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Bucket4j's compare-and-swap protocol ({@link CompareAndSwapBuckets}) on the state table (Bucket4j has no DynamoDB
 * backend in the versions available to this build): the bucket's serialized state is a binary attribute, and
 * a swap is a put conditional on the attribute still holding the bytes that were read — or, for a
 * new bucket, on no live item being there. Bucket4j retries a lost swap with a fresh read.
 *
 * <p>Each write expires when the bucket would have refilled completely (plus
 * {@link #KEEP_AFTER_REFILL}): from then on a fresh, full bucket is the same thing, so idle
 * buckets cost nothing and DynamoDB's TTL removes them.
 */
final class DynamoDbBuckets extends CompareAndSwapBuckets {
    /** Slack past the full refill, for clocks that differ between instances. */
    static final Duration KEEP_AFTER_REFILL = Duration.ofMinutes(1);
    private static final String STATE = "state";
    // The SDK's async client would need Netty or the CRT; the URL connection blocks, so an async
    // call runs the blocking one on a virtual thread of its own.
    private static final Executor VIRTUAL_THREADS = task -> Thread.ofVirtual().name("dynamodb-bucket").start(task);

    private final StateTable table;

    DynamoDbBuckets(StateTable table) {
        super(ClientSideConfig.getDefault().withExpirationAfterWriteStrategy(
                ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_REFILL)), VIRTUAL_THREADS);
        this.table = table;
    }

    @Override
    protected Optional<byte[]> read(String key) {
        Map<String, AttributeValue> live = table.getLive(key, Kind.BUCKET);
        return live == null ? Optional.empty() : Optional.of(live.get(STATE).b().asByteArray());
    }

    @Override
    public void removeProxy(String key) {
        table.delete(key, Kind.BUCKET);
    }

    @Override
    public boolean isExpireAfterWriteSupported() {
        return true;
    }

    @Override
    protected boolean swap(String key, byte[] originalData, byte[] newData, RemoteBucketState newState) {
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
