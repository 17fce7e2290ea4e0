package io.llmgw.core.cache;

import static io.llmgw.core.cache.CacheHarness.DEFAULT_AUTH;
import static io.llmgw.core.cache.CacheHarness.KEY;
import static io.llmgw.core.cache.CacheHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.Gateway;
import io.llmgw.core.state.ForwardingStateStore;
import io.llmgw.core.telemetry.GatewayEvents;
import io.llmgw.core.telemetry.Metrics;
import io.llmgw.core.state.InMemoryStateStore;
import io.llmgw.core.state.StateStore;
import io.llmgw.core.state.StateStoreException;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.core.telemetry.RecordingMetrics;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The cache's controls — per route, per virtual key, per caller — its price (a hit costs nothing
 * against budgets and is still counted), and its bounds: entries too large for the configuration or
 * the store are skipped, the in-memory cache evicts within its size, and a store that fails costs
 * only the hit, never the answer.
 */
class ResponseCacheControlsTest {
    private static final String ALICE = "alice-virtual-key-0123456789abcdef0123456";
    private static final String BOB = "bob-virtual-key-0123456789abcdef012345678";
    private static final String BODY = "{\"model\":\"gpt-cached\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"Same question\"}]}";
    private static final String CLAUDE = BODY.replace("gpt-cached", "claude-cached");
    private static final String CHAT = "/v1/chat/completions";

    private static String cacheHeader(BufferingSink sink) {
        return sink.headers().first("x-gateway-cache");
    }

    @Test
    void aRouteOrAVirtualKeyCanBeLeftOut() {
        String auth = "auth:\n  keys: [\"" + KEY + "\"]\n  virtual_keys:\n    - { name: alice, key: " + ALICE + ", cache: false }\n"
                + "    - { name: bob, key: " + BOB + " }\n";
        try (CacheHarness harness = new CacheHarness(auth, "cache: { enabled: true, routes: { claude-cached: { enabled: false } } }\n",
                Gateway.Options.defaults())) {
            assertThat(cacheHeader(harness.post(CHAT, CLAUDE))).isEqualTo("bypass");
            assertThat(cacheHeader(harness.post(CHAT, CLAUDE))).isEqualTo("bypass");
            assertThat(cacheHeader(harness.postAs(BOB, CHAT, BODY))).isEqualTo("miss");
            assertThat(cacheHeader(harness.postAs(ALICE, CHAT, BODY))).as("alice's key has no cache").isEqualTo("bypass");
            assertThat(cacheHeader(harness.postAs(BOB, CHAT, BODY))).isEqualTo("hit");
            assertThat(harness.calls()).isEqualTo(4);
        }
    }

    @Test
    void aVirtualKeysOwnTimeToLiveAndEntrySizeDecideForItsCalls() {
        MutableClock clock = new MutableClock();
        String auth = "auth:\n  keys: [\"" + KEY + "\"]\n  virtual_keys:\n    - { name: alice, key: " + ALICE + ", cache: { ttl: 1m } }\n"
                + "    - { name: bob, key: " + BOB + ", cache: { max_entry_bytes: 64 } }\n";
        try (CacheHarness harness = new CacheHarness(auth, "cache: { enabled: true, ttl: 1h }\n",
                new Gateway.Options(GatewayEvents.NONE, clock, Metrics.NONE))) {
            assertThat(cacheHeader(harness.post(CHAT, BODY))).isEqualTo("miss");
            clock.advance(Duration.ofMinutes(2));
            assertThat(cacheHeader(harness.post(CHAT, BODY))).as("an hour's answer for the gateway key").isEqualTo("hit");
            assertThat(cacheHeader(harness.postAs(ALICE, CHAT, BODY))).as("too old for alice's minute").isEqualTo("miss");
            assertThat(cacheHeader(harness.postAs(ALICE, CHAT, BODY))).as("what alice got, fresh").isEqualTo("hit");
            assertThat(harness.calls()).isEqualTo(2);

            String other = BODY.replace("Same question", "Bob's question");
            harness.postAs(BOB, CHAT, other);
            assertThat(cacheHeader(harness.postAs(BOB, CHAT, other))).as("larger than bob's 64 bytes: not kept").isEqualTo("miss");
            assertThat(cacheHeader(harness.post(CHAT, other))).isEqualTo("miss");
            assertThat(cacheHeader(harness.postAs(BOB, CHAT, other))).as("kept for the gateway key, served to bob").isEqualTo("hit");
        }
    }

    @Test
    void aVirtualKeyAloneCanBeCached() {
        String auth = "auth:\n  keys: [\"" + KEY + "\"]\n  virtual_keys:\n    - { name: alice, key: " + ALICE + ", cache: { enabled: true } }\n";
        try (CacheHarness harness = new CacheHarness(auth, "cache: { routes: { claude-cached: { enabled: false } } }\n",
                Gateway.Options.defaults())) {
            assertThat(cacheHeader(harness.postAs(ALICE, CHAT, BODY))).isEqualTo("miss");
            assertThat(cacheHeader(harness.postAs(ALICE, CHAT, BODY))).isEqualTo("hit");
            assertThat(cacheHeader(harness.post(CHAT, BODY))).as("the cache is off for other callers").isEqualTo("bypass");
            assertThat(cacheHeader(harness.postAs(ALICE, CHAT, CLAUDE))).as("a route turned off stays off").isEqualTo("bypass");
        }
    }

    @Test
    void aRouteAloneCanBeCached() {
        try (CacheHarness harness = new CacheHarness("cache: { routes: { gpt-cached: { enabled: true, ttl: 5m } } }\n")) {
            harness.post(CHAT, BODY);
            assertThat(cacheHeader(harness.post(CHAT, BODY))).isEqualTo("hit");
            assertThat(cacheHeader(harness.post(CHAT, CLAUDE))).isEqualTo("bypass");
        }
    }

    @Test
    void answersAreSharedAmongKeysUnlessPerKey() {
        String auth = "auth:\n  keys: [\"" + KEY + "\"]\n  virtual_keys:\n    - { name: alice, key: " + ALICE + " }\n"
                + "    - { name: bob, key: " + BOB + " }\n";
        try (CacheHarness shared = new CacheHarness(auth, "cache: { enabled: true }\n", Gateway.Options.defaults());
             CacheHarness perKey = new CacheHarness(auth, "cache: { enabled: true, per_key: true }\n", Gateway.Options.defaults())) {
            shared.postAs(ALICE, CHAT, BODY);
            assertThat(cacheHeader(shared.postAs(BOB, CHAT, BODY))).isEqualTo("hit");

            perKey.postAs(ALICE, CHAT, BODY);
            assertThat(cacheHeader(perKey.postAs(BOB, CHAT, BODY))).isEqualTo("miss");
            assertThat(cacheHeader(perKey.postAs(ALICE, CHAT, BODY))).isEqualTo("hit");
            assertThat(cacheHeader(perKey.postAs(BOB, CHAT, BODY))).isEqualTo("hit");
        }
    }

    @Test
    void perKeyKeepsPlainGatewayKeysApartThoughTheirMasksAgree() {
        String twin = KEY.substring(0, 6) + "x".repeat(KEY.length() - 10) + KEY.substring(KEY.length() - 4);
        String auth = "auth: { mode: gateway, keys: [\"" + KEY + "\", \"" + twin + "\"] }\n";
        try (CacheHarness harness = new CacheHarness(auth, "cache: { enabled: true, per_key: true }\n", Gateway.Options.defaults())) {
            harness.post(CHAT, BODY);
            assertThat(cacheHeader(harness.postAs(twin, CHAT, BODY))).as("another key, masked alike").isEqualTo("miss");
            assertThat(cacheHeader(harness.post(CHAT, BODY))).isEqualTo("hit");
        }
    }

    @Test
    void callersWithTheirOwnUpstreamKeysOnlyHitWhatTheirKeyGot() {
        try (CacheHarness harness = new CacheHarness("auth: { mode: client }\n", "cache: { enabled: true }\n", Gateway.Options.defaults())) {
            harness.postAs("sk-caller-one-0123456789", CHAT, BODY);
            BufferingSink other = harness.postAs("sk-caller-two-0123456789", CHAT, BODY);
            assertThat(cacheHeader(other)).as("another key's answer is not this key's to have").isEqualTo("miss");
            assertThat(harness.upstream.lastRequest().header("authorization")).isEqualTo("Bearer sk-caller-two-0123456789");
            assertThat(cacheHeader(harness.postAs("sk-caller-one-0123456789", CHAT, BODY))).isEqualTo("hit");
            assertThat(harness.calls()).isEqualTo(2);
        }
    }

    @Test
    void aHitIsCountedInUsageButCostsNothing() {
        String auth = "auth:\n  keys: [\"" + KEY + "\"]\n  virtual_keys:\n"
                + "    - { name: alice, key: " + ALICE + ", budget: { usd: 1000, tokens: 100000 }, limits: { tokens_per_minute: 100000 } }\n";
        RecordingMetrics metrics = new RecordingMetrics();
        try (CacheHarness harness = new CacheHarness(auth, "cache: { enabled: true }\n"
                + "prices: { gpt-cached: { input_per_mtok: 1000000, output_per_mtok: 1000000 } }\n",
                Gateway.Options.defaults().withMetrics(metrics))) {
            BufferingSink miss = harness.postAs(ALICE, CHAT, BODY);
            assertThat(Double.parseDouble(miss.headers().first("x-gateway-cost-usd"))).isEqualTo(19.0);  // 12 in + 7 out at $1 each
            RequestContext missed = metrics.last();

            BufferingSink hit = harness.postAs(ALICE, CHAT, BODY);
            assertThat(cacheHeader(hit)).isEqualTo("hit");
            assertThat(hit.headers().first("x-gateway-cost-usd")).isEqualTo("0.000000");
            assertThat(json(hit).at("/usage/prompt_tokens").asInt()).isEqualTo(12);
            RequestContext hitCtx = metrics.last();
            assertThat(hitCtx.cache()).isEqualTo("hit");
            assertThat(hitCtx.usage().inputTokens()).as("the answer's usage, for the log and the token metrics").isEqualTo(12);
            assertThat(hitCtx.costUsd()).isZero();
            assertThat(hitCtx.route()).isEqualTo("gpt-cached");
            assertThat(hitCtx.upstream()).as("no upstream answered").isNull();
            assertThat(missed.cacheStoredBytes()).isPositive();
            assertThat(hitCtx.cacheStoredBytes()).isZero();

            JsonNode usage = json(harness.get(KEY, "/admin/usage")).path("keys").get(0).path("usage");
            assertThat(usage.path("usd").asDouble()).as("the budget paid for the miss only").isEqualTo(19.0);
            assertThat(usage.path("tokens").asLong()).isEqualTo(19);
        }
    }

    @Test
    void anEntryLargerThanConfiguredIsNotKept() {
        try (CacheHarness harness = new CacheHarness("cache: { enabled: true, routes: { gpt-cached: { max_entry_bytes: 64 } } }\n")) {
            harness.post(CHAT, BODY);
            assertThat(cacheHeader(harness.post(CHAT, BODY))).isEqualTo("miss");
            harness.post(CHAT, CLAUDE);
            assertThat(cacheHeader(harness.post(CHAT, CLAUDE))).as("other routes keep the cache's default").isEqualTo("hit");
        }
    }

    @Test
    void anEntryLargerThanTheStoreTakesIsSkippedAndCounted() {
        RecordingMetrics metrics = new RecordingMetrics();
        StateStore small = new ForwardingStateStore(new InMemoryStateStore()) {
            @Override
            public long maxValueBytes() {
                return 400;
            }
        };
        try (CacheHarness harness = new CacheHarness(DEFAULT_AUTH, "cache: { enabled: true }\n",
                Gateway.Options.defaults().withMetrics(metrics).withStateStore(small))) {
            harness.chat = ChatScript.text(incompressible(1000)).handler();
            BufferingSink first = harness.post(CHAT, BODY);
            assertThat(first.status()).isEqualTo(200);
            assertThat(metrics.last().cacheSkipped()).isEqualTo("too_large");
            assertThat(cacheHeader(harness.post(CHAT, BODY))).isEqualTo("miss");
            harness.chat = ChatScript.text("short").handler();
            harness.post(CHAT, CLAUDE.replace("claude-cached", "gpt-cached").replace("Same", "Other"));
            assertThat(metrics.last().cacheStoredBytes()).isBetween(1L, 400L);
        }
    }

    @Test
    void entriesAreCompressedAndSealedWithTheConfiguredKey() {
        InMemoryStateStore memory = new InMemoryStateStore();
        List<byte[]> written = Collections.synchronizedList(new ArrayList<>());
        StateStore shared = new ForwardingStateStore(memory) {
            @Override
            public long maxValueBytes() {
                return 2000;
            }

            @Override
            public void putValue(String key, byte[] value, Duration ttl) {
                written.add(value);
                super.putValue(key, value, ttl);
            }
        };
        String answer = "A long answer that repeats itself. ".repeat(200);  // 7,000 bytes of text, far more than the store takes
        String yaml = "cache: { enabled: true, encryption_key: \"" + java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\" }\n";
        try (CacheHarness first = new CacheHarness(DEFAULT_AUTH, yaml, Gateway.Options.defaults().withStateStore(shared));
             CacheHarness sameKey = new CacheHarness(DEFAULT_AUTH, yaml, Gateway.Options.defaults().withStateStore(shared));
             CacheHarness otherKey = new CacheHarness(DEFAULT_AUTH, yaml.replace("AAAAAAAAAAAAAAAA", "AQEBAQEBAQEBAQEB"),
                     Gateway.Options.defaults().withStateStore(shared));
             CacheHarness noKey = new CacheHarness(DEFAULT_AUTH, "cache: { enabled: true }\n", Gateway.Options.defaults().withStateStore(shared))) {
            first.chat = ChatScript.text(answer).handler();
            first.post(CHAT, BODY);
            assertThat(written).as("compressed to fit").hasSize(1);
            assertThat(written.get(0).length).isLessThan(2000);
            assertThat(new String(written.get(0), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("repeats");

            BufferingSink hit = sameKey.post(CHAT, BODY);
            assertThat(cacheHeader(hit)).isEqualTo("hit");
            assertThat(json(hit).at("/choices/0/message/content").asText()).isEqualTo(answer);
            assertThat(cacheHeader(otherKey.post(CHAT, BODY))).as("sealed with another key: unreadable, a miss").isEqualTo("miss");
            assertThat(cacheHeader(noKey.post(CHAT, BODY))).as("the other key's entry, sealed: a miss").isEqualTo("miss");
        }
    }

    /** Text gzip cannot shrink much: random letters. */
    private static String incompressible(int length) {
        java.util.Random random = new java.util.Random(7);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    @Test
    void theInMemoryCacheEvictsWithinItsBoundAndCountsIt() {
        RecordingMetrics metrics = new RecordingMetrics();
        try (CacheHarness harness = new CacheHarness(DEFAULT_AUTH, "cache: { enabled: true, max_entry_bytes: 1KiB, max_total_bytes: 2KiB }\n",
                Gateway.Options.defaults().withMetrics(metrics))) {
            long stored = 0;
            for (int i = 0; i < 20; i++) {
                harness.post(CHAT, BODY.replace("Same question", "Question " + i));
                stored = Math.max(stored, metrics.last().cacheStoredBytes());
            }
            // each entry weighs its value, its key (twice, as UTF-16) and 64 bytes; 2 KiB hold a few of them
            long fit = 2048 / (stored + 2 * 67 + 64);
            assertThat(fit).isBetween(1L, 5L);
            assertThat(metrics.evictions.get()).isGreaterThanOrEqualTo((int) (20 - fit));
        }
    }

    @Test
    void aStoreThatFailsCostsTheHitNotTheAnswer() {
        RecordingMetrics metrics = new RecordingMetrics();
        StateStore failing = new ForwardingStateStore(new InMemoryStateStore()) {
            @Override
            public Optional<byte[]> getValue(String key) {
                throw new StateStoreException("redis at redis://cache:6379: connection refused", null);
            }

            @Override
            public void putValue(String key, byte[] value, Duration ttl) {
                throw new StateStoreException("redis at redis://cache:6379: connection refused", null);
            }
        };
        try (CacheHarness harness = new CacheHarness(DEFAULT_AUTH, "cache: { enabled: true }\n",
                Gateway.Options.defaults().withMetrics(metrics).withStateStore(failing))) {
            BufferingSink first = harness.post(CHAT, BODY);
            BufferingSink second = harness.post(CHAT, BODY.replace("\"max_tokens\":20", "\"stream\":true,\"max_tokens\":20"));
            assertThat(first.status()).isEqualTo(200);
            assertThat(second.status()).isEqualTo(200);
            assertThat(cacheHeader(second)).isEqualTo("miss");
            assertThat(io.llmgw.testing.ChatStreams.check(CacheHarness.text(second), false).content()).isNotEmpty();
            assertThat(metrics.storeFailures).containsExactly("cache_read", "cache_write", "cache_read", "cache_write");
            assertThat(metrics.last().cacheSkipped()).isEqualTo("store_error");
        }
    }
}
