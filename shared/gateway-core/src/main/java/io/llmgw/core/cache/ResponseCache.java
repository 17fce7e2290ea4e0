package io.llmgw.core.cache;

import io.llmgw.core.auth.Identity;
import io.llmgw.core.config.CacheConfig;
import io.llmgw.core.model.Block;
import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.model.Ids;
import io.llmgw.core.model.StopReason;
import io.llmgw.core.pipeline.ModelCall;
import io.llmgw.core.pipeline.ModelFilter;
import io.llmgw.core.state.InMemoryStateStore;
import io.llmgw.core.state.RecordCodec;
import io.llmgw.core.state.StateStore;
import io.llmgw.core.telemetry.Metrics;
import io.llmgw.core.telemetry.RequestContext;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exact response cache, a model filter after the limits (a hit still counts against rate limits
 * and needs the budget to admit it, and then costs nothing): the same request for the same route
 * is answered from the state store, in the client's own dialect and streamed or not as it asks,
 * however the stored answer was first delivered. Only complete answers are kept (the upstream
 * finished them with a stop reason, the client stayed to the end, nothing failed); answers that
 * call tools only with {@code tool_calls: true}. {@code Cache-Control: no-cache} from the client
 * skips the lookup (the answer is still kept), {@code no-store} skips the cache altogether. Every
 * answer says what happened in {@code x-gateway-cache}: {@code hit}, {@code miss} or {@code bypass}.
 */
public final class ResponseCache implements ModelFilter {
    public static final String HEADER = "x-gateway-cache";
    /** Why an answer was cut short or is not the model's to repeat: not kept. */
    private static final Set<StopReason> KEPT = Set.of(StopReason.END_TURN, StopReason.STOP_SEQUENCE, StopReason.MAX_TOKENS,
            StopReason.TOOL_USE);

    /** Created on first use: a static logger would start the logging back end while the gateway is built (cold start). */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(ResponseCache.class);
    }

    /** The most an entry may inflate to when read back: a damaged or hostile one must not fill the heap. */
    private static final long MAX_JSON_BYTES = 256L * 1024 * 1024;

    private final CacheConfig config;
    private final StateStore store;
    private final Metrics metrics;
    private final Clock clock;
    /** Compresses entries over a KB (so more fit DynamoDB's item) and seals them with {@code encryption_key}. */
    private final RecordCodec codec;

    private ResponseCache(CacheConfig config, StateStore store, Metrics metrics, Clock clock) {
        this.config = config;
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
        this.codec = new RecordCodec(config.encryptionKey(), MAX_JSON_BYTES);
    }

    /**
     * The cache the configuration asks for, or empty when no route caches. On the {@code memory}
     * state store it keeps answers in memory of its own, bounded by {@code max_total_bytes}, so they
     * can never crowd out what else is stored there; on a shared store, in that store.
     */
    public static Optional<ResponseCache> of(CacheConfig config, StateStore shared, Metrics metrics, Clock clock) {
        if (!config.anyEnabled()) {
            return Optional.empty();
        }
        StateStore store = shared.kind().equals("memory")
                ? new InMemoryStateStore(clock, config.maxTotalBytes(), metrics::cacheEvicted) : shared;
        return Optional.of(new ResponseCache(config, store, metrics, clock));
    }

    @Override
    public void filter(ModelCall call, Chain chain) {
        RequestContext ctx = call.exchange().ctx();
        Directives directives = Directives.of(call.exchange().request().headers().all("cache-control"));
        String key = directives.noStore || !applies(call) ? null : key(call);
        if (key == null) {
            outcome(ctx, "bypass");
            chain.proceed(call);
            return;
        }
        if (!directives.noCache) {
            CanonicalResponse cached = lookup(key, config.ttlFor(call.route().configuredName(), virtualKey(call)));
            if (cached != null) {
                outcome(ctx, "hit");
                ctx.route(call.route().configuredName());
                ctx.usage(cached.usage());
                call.answers().give(withFreshToolCallIds(cached));
                return;
            }
        }
        outcome(ctx, "miss");
        AnswerRecorder recorder = new AnswerRecorder();
        call.answers().tap(recorder);
        String route = call.route().configuredName();
        String virtualKey = virtualKey(call);
        // kept once the answer is over (a stream's may end on another thread), and only if it ended well (keep)
        call.exchange().out().atEnd(() -> keep(ctx, route, virtualKey, key, recorder.answer()));
        chain.proceed(call);
    }

    /** Whether the call's route and caller use the cache, and its answers have a canonical form to keep and give. */
    private boolean applies(ModelCall call) {
        return config.enabledFor(call.route().configuredName(), virtualKey(call)) && call.answers() != null && call.answers().canonical();
    }

    /** The name of the virtual key that calls, or null for any other caller (a plain gateway key, a JWT identity, none). */
    private static String virtualKey(ModelCall call) {
        Identity identity = call.exchange().ctx().identity();
        return identity != null && identity.kind().equals("virtual_key") ? identity.name() : null;
    }

    private String key(ModelCall call) {
        try {
            return CacheKey.of(call, config.perKey());
        } catch (RuntimeException unkeyable) {
            Log.LOG.debug("request {}: no cache key ({}); not cached", call.exchange().ctx().requestId(), unkeyable.toString());
            return null;
        }
    }

    /**
     * The stored answer, or null: absent, unreadable, older than the caller takes (a virtual key with a shorter time to
     * live than the answer was stored with), or the store failed (which costs only the hit).
     */
    private CanonicalResponse lookup(String key, Duration maxAge) {
        try {
            byte[] bytes = store.getValue(key).orElse(null);
            StoredAnswer stored = bytes == null ? null : StoredAnswer.decode(codec.decode(bytes, key));
            return stored == null || stored.storedAt().plus(maxAge).isBefore(clock.instant()) ? null : stored.answer();
        } catch (RecordCodec.Unreadable unreadable) {
            Log.LOG.debug("response cache: an entry is unreadable ({}); a miss", unreadable.getMessage());
            return null;
        } catch (RuntimeException unavailable) {
            metrics.stateStoreFailure("cache_read");
            Log.LOG.debug("response cache: reading failed: {}", unavailable.toString());
            return null;
        }
    }

    private void keep(RequestContext ctx, String route, String virtualKey, String key, CanonicalResponse answer) {
        if (answer == null || ctx.clientGone() || ctx.errorKind() != null || ctx.status() != 200 || !KEPT.contains(answer.stopReason())
                || !config.toolCalls() && answer.content().stream().anyMatch(Block.ToolCall.class::isInstance)) {
            return;
        }
        byte[] stored = codec.encode(StoredAnswer.encode(answer, clock.instant()), key);
        if (stored.length > Math.min(config.maxEntryBytesFor(route, virtualKey), store.maxValueBytes())) {
            ctx.cacheSkipped("too_large");
            return;
        }
        try {
            store.putValue(key, stored, config.ttlFor(route, virtualKey));
            ctx.cacheStored(stored.length);
        } catch (RuntimeException unavailable) {
            ctx.cacheSkipped("store_error");
            metrics.stateStoreFailure("cache_write");
            Log.LOG.debug("response cache: writing failed: {}", unavailable.toString());
        }
    }

    private static void outcome(RequestContext ctx, String outcome) {
        ctx.cache(outcome);
        ctx.responseHeaders().set(HEADER, outcome);
    }

    /**
     * The answer with new tool-call ids of the same kind ({@code toolu_…}, {@code call_…}): clients
     * match results to calls by id, and two conversations given the same answer must not share one.
     */
    private static CanonicalResponse withFreshToolCallIds(CanonicalResponse answer) {
        List<Block> content = new ArrayList<>(answer.content().size());
        for (Block block : answer.content()) {
            content.add(block instanceof Block.ToolCall call
                    ? new Block.ToolCall(Ids.random(idPrefix(call.id())), call.name(), call.arguments(), call.custom(), call.signature())
                    : block);
        }
        return new CanonicalResponse(null, answer.model(), content, answer.stopReason(), answer.stopSequence(), answer.usage());
    }

    private static String idPrefix(String id) {
        int underscore = id == null ? -1 : id.indexOf('_');
        return underscore > 0 && underscore < 8 ? id.substring(0, underscore + 1) : "call_";
    }

    /** The client's {@code Cache-Control} request directives that concern the cache. */
    private record Directives(boolean noCache, boolean noStore) {
        static Directives of(List<String> headers) {
            boolean noCache = false;
            boolean noStore = false;
            for (String header : headers) {
                for (String directive : header.split(",")) {
                    String name = directive.trim().toLowerCase(Locale.ROOT);
                    int equals = name.indexOf('=');
                    name = equals < 0 ? name : name.substring(0, equals).trim();
                    noCache |= name.equals("no-cache");
                    noStore |= name.equals("no-store");
                }
            }
            return new Directives(noCache, noStore);
        }
    }
}
