package io.llmgw.core.limits;

import static io.llmgw.core.limits.AccessHarness.ALICE;
import static io.llmgw.core.limits.AccessHarness.chat;
import static io.llmgw.core.limits.AccessHarness.config;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import io.llmgw.core.Gateway;
import io.llmgw.core.state.CompareAndSwapBuckets;
import io.llmgw.core.state.ForwardingStateStore;
import io.llmgw.core.state.InMemoryStateStore;
import io.llmgw.core.stream.BufferingSink;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many requests of one key at once against a store that keeps buckets by compare-and-swap, as Redis
 * and DynamoDB do: they must not each race for the bucket (on Redis, 500 requests/s of one key
 * collapsed that way), but reach the store together.
 */
class HotKeyBucketsTest {
    private static final int REQUESTS = 32;

    @TempDir
    Path dir;

    /** Buckets whose every read takes a network round trip's time; counts the swaps the store is asked for. */
    private static final class RemoteLikeBuckets extends CompareAndSwapBuckets {
        final Map<String, byte[]> states = new ConcurrentHashMap<>();
        final AtomicInteger swaps = new AtomicInteger();

        RemoteLikeBuckets() {
            super(ClientSideConfig.getDefault(), Runnable::run);
        }

        @Override
        protected Optional<byte[]> read(String key) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.ofNullable(states.get(key));
        }

        @Override
        protected synchronized boolean swap(String key, byte[] originalData, byte[] newData, RemoteBucketState newState) {
            swaps.incrementAndGet();
            if (!Arrays.equals(states.get(key), originalData)) {
                return false;
            }
            states.put(key, newData);
            return true;
        }

        @Override
        public void removeProxy(String key) {
            states.remove(key);
        }
    }

    @Test
    void requestsOfOneKeyAtOnceShareTheirSwapsAndAreEachCounted() throws Exception {
        RemoteLikeBuckets buckets = new RemoteLikeBuckets();
        ForwardingStateStore store = new ForwardingStateStore(new InMemoryStateStore()) {
            @Override
            public ProxyManager<String> buckets() {
                return buckets;
            }
        };
        String limited = "  virtual_keys:\n    - { name: alice, key: " + ALICE + ", limits: { requests_per_minute: 1000 } }\n"
                + "providers: { m: { type: mock } }\nmodels: { \"*\": { deployments: [{ provider: m }] } }\n";
        CountDownLatch start = new CountDownLatch(1);
        try (Gateway gateway = new Gateway(config(dir, limited), Gateway.Options.defaults().withStateStore(store));
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<BufferingSink>> answers = IntStream.range(0, REQUESTS).mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return chat(gateway, ALICE, "gpt-4o");
            }, clients)).toList();
            long began = System.nanoTime();
            start.countDown();
            for (CompletableFuture<BufferingSink> answer : answers) {
                assertThat(answer.get().status()).isEqualTo(200);
            }
            // each request took its token: what is left is the capacity less all of them, plus what refilled meanwhile
            // (1,000 a minute: one per 60 ms of however long a loaded machine took)
            long left = remaining(gateway);
            long refilled = (System.nanoTime() - began) / 60_000_000L + 1;
            assertThat(left).isBetween(1000L - REQUESTS - 1, 1000L - REQUESTS + refilled);
            // one swap per request would be the racing this avoids; batched, the waiting requests go as one
            assertThat(buckets.swaps.get()).isLessThan(REQUESTS);
        }
    }

    /** Alice's remaining requests as the next answer reports them, less that request's own token. */
    private static long remaining(Gateway gateway) {
        return Long.parseLong(chat(gateway, ALICE, "gpt-4o").headers().first("x-ratelimit-remaining-requests")) + 1;
    }
}
