package io.llmgw.core.limits;

import static io.llmgw.core.limits.AccessHarness.ALICE;
import static io.llmgw.core.limits.AccessHarness.chat;
import static io.llmgw.core.limits.AccessHarness.config;
import static io.llmgw.core.limits.AccessHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.llmgw.core.Gateway;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.state.ForwardingStateStore;
import io.llmgw.core.state.InMemoryStateStore;
import io.llmgw.core.state.StateStoreException;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.core.telemetry.RecordingMetrics;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store that cannot be reached: requests go ahead and are counted as unlimited (fail open), or are refused (fail closed). */
class StoreFailureTest {
    @TempDir
    Path dir;

    /** Every counter operation fails as an unreachable Redis or DynamoDB would; buckets too. */
    private static final class DownStore extends ForwardingStateStore {
        DownStore() {
            super(new InMemoryStateStore());
        }

        private static StateStoreException down() {
            return new StateStoreException("connection refused", null);
        }

        @Override
        public ProxyManager<String> buckets() {
            throw down();
        }

        @Override
        public Reservation reserve(String key, long amount, long limit, Instant expiresAt) {
            throw down();
        }

        @Override
        public long add(String key, long delta, Instant expiresAt) {
            throw down();
        }

        @Override
        public long get(String key) {
            throw down();
        }
    }

    private GatewayConfig limited(boolean failClosed) {
        return config(dir, "  virtual_keys:\n    - { name: alice, key: " + ALICE
                + ", limits: { requests_per_minute: 1, concurrent: 1, tokens_per_minute: 1000 }, budget: { usd: 1 } }\n"
                + "limits: { fail_closed: " + failClosed + " }\n"
                + "providers: { m: { type: mock } }\nmodels: { \"*\": { deployments: [{ provider: m }] } }\n");
    }

    @Test
    void failOpenAdmitsAndCountsTheFailures() {
        RecordingMetrics metrics = new RecordingMetrics();
        try (Gateway gateway = new Gateway(limited(false), new Gateway.Options(io.llmgw.core.telemetry.GatewayEvents.NONE,
                java.time.Clock.systemUTC(), metrics).withStateStore(new DownStore()))) {
            assertThat(chat(gateway, ALICE, "gpt-4o").status()).isEqualTo(200);
            assertThat(chat(gateway, ALICE, "gpt-4o").status()).isEqualTo(200);  // over the 1 per minute: the store never counted
        }
        assertThat(metrics.storeFailures).contains("rate_limit", "concurrency", "budget");
    }

    @Test
    void failClosedRefusesWithARetryable503() {
        try (Gateway gateway = new Gateway(limited(true), Gateway.Options.defaults().withStateStore(new DownStore()))) {
            BufferingSink refused = chat(gateway, ALICE, "gpt-4o");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.headers().first("retry-after")).isEqualTo("2");
            assertThat(json(refused).at("/error/code").asText()).isEqualTo("limits_unavailable");
        }
    }
}
