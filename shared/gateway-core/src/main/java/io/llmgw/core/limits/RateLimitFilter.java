package io.llmgw.core.limits;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.llmgw.core.config.AccessConfig;
import io.llmgw.core.config.AccessConfig.Limits;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.AddressRange;
import io.llmgw.core.http.Headers;
import io.llmgw.core.model.Usage;
import io.llmgw.core.pipeline.ModelCall;
import io.llmgw.core.pipeline.ModelFilter;
import io.llmgw.core.state.StateStore;
import io.llmgw.core.telemetry.RequestContext;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Requests per minute (with a burst), tokens per minute and concurrent requests, per key, team,
 * client address, model and for the whole gateway, kept in the state store. Buckets are Bucket4j's
 * (greedy refill); tokens are taken for the estimated input before the call and settled with the
 * real input plus output after it. A refusal is a 429 in the client's dialect with
 * {@code retry-after}; the headers of the tightest limit go on every answer.
 */
final class RateLimitFilter implements ModelFilter.Check {
    private static final Duration MINUTE = Duration.ofMinutes(1);
    /** Bucket handles kept for reuse: enough for every key, team and model at once; client addresses beyond it are rebuilt. */
    private static final int BUCKET_HANDLES = 10_000;

    private final AccessConfig access;
    private final List<AddressRange> trustedProxies;
    private final StateStore store;
    private final ConcurrencySlots slots;
    private final StoreGuard guard;
    private final Clock clock;
    /**
     * One handle per bucket, shared by every request of that key, team or model, with Bucket4j's batching:
     * the stores keep buckets by compare-and-swap (read, write back if unchanged, else retry), so requests
     * of one hot key racing each other retry without end — on Redis at 500 requests/s for one key, about a
     * hundred round trips a request until requests time out. Batched, the requests waiting on a handle go to
     * the store as one swap. Batching needs the same handle for the same bucket, hence the cache.
     */
    private final Cache<String, BucketProxy> buckets = Caffeine.newBuilder().maximumSize(BUCKET_HANDLES)
            .expireAfterAccess(Duration.ofMinutes(5)).build();

    RateLimitFilter(AccessConfig access, StateStore store, StoreGuard guard, Clock clock) {
        this.access = access;
        this.trustedProxies = access.trustedProxies().stream().map(AddressRange::parse).toList();
        this.store = store;
        this.slots = new ConcurrencySlots(store);
        this.guard = guard;
        this.clock = clock;
    }

    @Override
    public void check(ModelCall call) {
        List<Scope> scopes = Scope.of(call, access, trustedProxies).stream().filter(s -> s.limits().any()).toList();
        if (scopes.isEmpty()) {
            return;
        }
        RequestContext ctx = call.exchange().ctx();
        RateLimitHeaders headers = new RateLimitHeaders();
        List<Runnable> undo = new ArrayList<>();
        List<BucketProxy> tokenBuckets = new ArrayList<>();
        long estimate = Math.max(1, call.estimatedTokens());
        try {
            for (Scope scope : scopes) {
                admit(scope, estimate, headers, undo, tokenBuckets);
            }
        } catch (RuntimeException refused) {
            undo.forEach(step -> guard.after("rate_limit_undo", step));
            headers.writeTo(ctx.responseHeaders(), call.dialect(), clock.instant());
            throw refused;
        }
        headers.writeTo(ctx.responseHeaders(), call.dialect(), clock.instant());
        call.exchange().out().atEnd(() -> {  // once the answer is over, a stream's too
            undo.stream().filter(ReleaseSlot.class::isInstance).forEach(step -> guard.after("concurrency_release", step));
            settleTokens(ctx.servedFromCache() ? io.llmgw.core.model.Usage.NONE : ctx.usage(), estimate, tokenBuckets);
        });
    }

    private void admit(Scope scope, long estimate, RateLimitHeaders headers, List<Runnable> undo, List<BucketProxy> tokenBuckets) {
        Limits limits = scope.limits();
        if (limits.requestsPerMinute() > 0) {
            BucketProxy bucket = guard.before("rate_limit", () -> bucket("rl:req:" + scope.id(), limits.requestCapacity(),
                    limits.requestsPerMinute()), null);
            ConsumptionProbe probe = bucket == null ? null : guard.before("rate_limit", () -> bucket.tryConsumeAndReturnRemaining(1), null);
            if (probe != null) {
                headers.requests(limits.requestCapacity(), probe.getRemainingTokens(),
                        untilFull(limits.requestCapacity(), probe.getRemainingTokens(), limits.requestsPerMinute()));
                if (!probe.isConsumed()) {
                    throw refusal(scope, limits.requestsPerMinute() + " requests per minute", probe.getNanosToWaitForRefill());
                }
                undo.add(() -> bucket.addTokens(1));
            }
        }
        if (limits.tokensPerMinute() > 0) {
            if (estimate > limits.tokensPerMinute()) {
                throw new GatewayError(ErrorKind.RATE_LIMIT, 429, "This request (about " + estimate + " tokens) is larger than the limit of "
                        + limits.tokensPerMinute() + " tokens per minute for " + describe(scope) + "; send a smaller request.",
                        "request_too_large_for_limit", null, null, null).exception();
            }
            BucketProxy bucket = guard.before("rate_limit", () -> bucket("rl:tok:" + scope.id(), limits.tokensPerMinute(),
                    limits.tokensPerMinute()), null);
            ConsumptionProbe probe = bucket == null ? null
                    : guard.before("rate_limit", () -> bucket.tryConsumeAndReturnRemaining(estimate), null);
            if (probe != null) {
                headers.tokens(limits.tokensPerMinute(), probe.getRemainingTokens(),
                        untilFull(limits.tokensPerMinute(), probe.getRemainingTokens(), limits.tokensPerMinute()));
                if (!probe.isConsumed()) {
                    throw refusal(scope, limits.tokensPerMinute() + " tokens per minute", probe.getNanosToWaitForRefill());
                }
                undo.add(() -> bucket.addTokens(estimate));
                tokenBuckets.add(bucket);
            }
        }
        if (limits.concurrent() > 0) {
            ConcurrencySlots.Slot slot = guard.before("concurrency", () -> slots.acquire(scope.id(), limits.concurrent(), clock.instant()),
                    ConcurrencySlots.Slot.NONE);
            if (slot == null) {
                throw refusal(scope, limits.concurrent() + " concurrent requests", Duration.ofSeconds(1).toNanos());
            }
            if (slot != ConcurrencySlots.Slot.NONE) {
                undo.add(new ReleaseSlot(slots, slot, clock));
            }
        }
    }

    /** The token buckets learn the real size of the call: more taken if it was larger than estimated, the rest given back. */
    private void settleTokens(Usage usage, long estimate, List<BucketProxy> buckets) {
        if (usage == null || buckets.isEmpty()) {
            return;  // nothing reported (a failure before usage): the estimate stands
        }
        long difference = (long) usage.input() + usage.output() - estimate;
        for (BucketProxy bucket : buckets) {
            guard.after("rate_limit_settle", () -> {
                if (difference > 0) {
                    bucket.consumeIgnoringRateLimits(difference);
                } else if (difference < 0) {
                    bucket.addTokens(-difference);
                }
            });
        }
    }

    private BucketProxy bucket(String key, long capacity, long perMinute) {
        return buckets.get(key + "/" + capacity + "/" + perMinute, handle -> {
            BucketConfiguration configuration = BucketConfiguration.builder()
                    .addLimit(limit -> limit.capacity(capacity).refillGreedy(perMinute, MINUTE))
                    .build();
            return store.buckets().builder().withOptimization(Optimizations.batching()).build(key, () -> configuration);
        });
    }

    private static Duration untilFull(long capacity, long remaining, long perMinute) {
        return Duration.ofNanos((long) ((capacity - Math.max(0, remaining)) * (double) MINUTE.toNanos() / perMinute));
    }

    private static RuntimeException refusal(Scope scope, String limit, long waitNanos) {
        Duration wait = Duration.ofNanos(Math.max(waitNanos, 1));
        return new GatewayError(ErrorKind.RATE_LIMIT, 429, "Rate limit reached for " + describe(scope) + " (" + limit + "); retry in "
                + Math.max(1, (wait.toMillis() + 999) / 1000) + "s.", "rate_limit_exceeded", null, wait, new Headers()).exception();
    }

    static String describe(Scope scope) {
        return switch (scope.kind()) {
            case "key" -> "this key";
            case "team" -> "team '" + scope.id().substring("team:".length()) + "'";
            case "client_ip" -> "your address";
            case "model" -> "model '" + scope.id().substring("model:".length()) + "'";
            default -> "the gateway";
        };
    }

    /** Gives a concurrency slot back when the call ends, or when a later scope refuses. */
    private record ReleaseSlot(ConcurrencySlots slots, ConcurrencySlots.Slot slot, Clock clock) implements Runnable {
        @Override
        public void run() {
            slots.release(slot, clock.instant());
        }
    }
}
