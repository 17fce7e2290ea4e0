package io.llmgw.core.limits;

import static io.llmgw.core.limits.AccessHarness.ALICE;
import static io.llmgw.core.limits.AccessHarness.BOB;
import static io.llmgw.core.limits.AccessHarness.chat;
import static io.llmgw.core.limits.AccessHarness.config;
import static io.llmgw.core.limits.AccessHarness.json;
import static io.llmgw.core.limits.AccessHarness.messages;
import static io.llmgw.core.limits.AccessHarness.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.Gateway;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.pipeline.ModelFilter;
import io.llmgw.core.stream.BufferingSink;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests, tokens and concurrency per key, team, client address and model: refusals and the headers clients read. */
class RateLimitFilterTest {
    private static final String MOCK = "providers: { m: { type: mock } }\nmodels: { \"*\": { deployments: [{ provider: m }] } }\n";

    @TempDir
    Path dir;

    private GatewayConfig keys(String aliceLimits, String rest) {
        return config(dir, "  virtual_keys:\n"
                + "    - { name: alice, key: " + ALICE + ", team: platform, limits: " + aliceLimits + " }\n"
                + "    - { name: bob, key: " + BOB + ", team: platform }\n" + rest + MOCK);
    }

    @Test
    void aKeyGetsItsRequestsPerMinuteThenA429WithRetryAfterAndTheHeaders() {
        try (Gateway gateway = new Gateway(keys("{ requests_per_minute: 3 }", ""))) {
            for (int remaining = 2; remaining >= 0; remaining--) {
                BufferingSink ok = chat(gateway, ALICE, "gpt-4o");
                assertThat(ok.status()).isEqualTo(200);
                assertThat(ok.headers().first("x-ratelimit-limit-requests")).isEqualTo("3");
                assertThat(ok.headers().first("x-ratelimit-remaining-requests")).isEqualTo(Integer.toString(remaining));
                assertThat(ok.headers().first("x-ratelimit-reset-requests")).matches("\\d+(ms|s|m\\d+s)");
            }
            BufferingSink refused = chat(gateway, ALICE, "gpt-4o");
            assertThat(refused.status()).isEqualTo(429);
            int retryAfter = Integer.parseInt(refused.headers().first("retry-after"));
            assertThat(retryAfter).isBetween(1, 20);  // one request back every 20 s at 3 per minute
            assertThat(refused.headers().first("x-ratelimit-remaining-requests")).isEqualTo("0");
            assertThat(json(refused).at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
            assertThat(json(refused).at("/error/message").asText()).contains("this key", "3 requests per minute");
            // bob is unlimited, and alice's refusals did not spend his
            assertThat(chat(gateway, BOB, "gpt-4o").status()).isEqualTo(200);
        }
    }

    @Test
    void theLargestLimitsTheConfigurationAcceptsAreChecked() {
        // fail_closed: a limit the bucket library refused would be a 503 here, not a silently unlimited 200
        try (Gateway gateway = new Gateway(keys("{ requests_per_minute: 10000000, burst: 10000000, tokens_per_minute: 60000000000,"
                + " concurrent: 1000000 }", "limits: { fail_closed: true }\n"))) {
            BufferingSink ok = chat(gateway, ALICE, "gpt-4o");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.headers().first("x-ratelimit-limit-requests")).isEqualTo("10000000");
            assertThat(ok.headers().first("x-ratelimit-remaining-requests")).isEqualTo("9999999");
            assertThat(ok.headers().first("x-ratelimit-limit-tokens")).isEqualTo("60000000000");
        }
    }

    @Test
    void anthropicClientsGetAnthropicsHeadersAndErrorShape() {
        try (Gateway gateway = new Gateway(keys("{ requests_per_minute: 1, tokens_per_minute: 100000 }", ""))) {
            BufferingSink ok = messages(gateway, ALICE, "claude-sonnet-4-5");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.headers().first("anthropic-ratelimit-requests-limit")).isEqualTo("1");
            assertThat(ok.headers().first("anthropic-ratelimit-requests-remaining")).isEqualTo("0");
            assertThat(Instant.parse(ok.headers().first("anthropic-ratelimit-requests-reset"))).isAfter(Instant.now().minusSeconds(2));
            assertThat(ok.headers().first("anthropic-ratelimit-tokens-limit")).isEqualTo("100000");
            assertThat(ok.headers().first("x-ratelimit-limit-requests")).isNull();
            BufferingSink refused = messages(gateway, ALICE, "claude-sonnet-4-5");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(json(refused).at("/error/type").asText()).isEqualTo("rate_limit_error");
            assertThat(refused.headers().first("retry-after")).isNotNull();
        }
    }

    @Test
    void aTeamLimitIsSharedByItsKeys() {
        try (Gateway gateway = new Gateway(keys("{}", "teams:\n  platform: { limits: { requests_per_minute: 2 } }\n"))) {
            assertThat(chat(gateway, ALICE, "gpt-4o").status()).isEqualTo(200);
            assertThat(chat(gateway, BOB, "gpt-4o").status()).isEqualTo(200);
            BufferingSink refused = chat(gateway, ALICE, "gpt-4o");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(json(refused).at("/error/message").asText()).contains("team 'platform'");
        }
    }

    @Test
    void perAddressLimitsBelieveForwardedForOnlyFromTrustedProxies() {
        GatewayConfig config = keys("{}", "limits:\n  per_client_ip: { requests_per_minute: 1 }\n  trusted_proxies: [10.0.0.0/8]\n");
        String body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        try (Gateway gateway = new Gateway(config)) {
            // behind the trusted load balancer: each client address has its own bucket
            assertThat(post(gateway, ALICE, "/v1/chat/completions", body, "10.1.2.3", "x-forwarded-for", "198.51.100.7").status()).isEqualTo(200);
            assertThat(post(gateway, ALICE, "/v1/chat/completions", body, "10.1.2.3", "x-forwarded-for", "198.51.100.8").status()).isEqualTo(200);
            // a client cannot pick a fresh address by prepending one: the right-most untrusted hop counts
            assertThat(post(gateway, ALICE, "/v1/chat/completions", body, "10.1.2.3",
                    "x-forwarded-for", "203.0.113.99, 198.51.100.7").status()).isEqualTo(429);
            // nor can a direct caller, whose x-forwarded-for is ignored
            assertThat(post(gateway, ALICE, "/v1/chat/completions", body, "192.0.2.1", "x-forwarded-for", "198.51.100.9").status()).isEqualTo(200);
            assertThat(post(gateway, ALICE, "/v1/chat/completions", body, "192.0.2.1", "x-forwarded-for", "198.51.100.10").status()).isEqualTo(429);
        }
    }

    @Test
    void concurrentRequestsAreCountedWhileInFlightAndGivenBack() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ModelFilter hold = (call, chain) -> {
            if (call.model().equals("hold")) {
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            chain.proceed(call);
        };
        try (Gateway gateway = new Gateway(keys("{ concurrent: 1 }", ""), Gateway.Options.defaults().withModelFilters(List.of(hold)))) {
            CompletableFuture<BufferingSink> first = CompletableFuture.supplyAsync(() -> chat(gateway, ALICE, "hold"));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            BufferingSink second = chat(gateway, ALICE, "gpt-4o");
            assertThat(second.status()).isEqualTo(429);
            assertThat(json(second).at("/error/message").asText()).contains("1 concurrent requests");
            assertThat(chat(gateway, BOB, "gpt-4o").status()).isEqualTo(200);
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            assertThat(chat(gateway, ALICE, "gpt-4o").status()).isEqualTo(200);
            assertThat(chat(gateway, ALICE, "gpt-4o").status()).isEqualTo(200);
        }
    }

    @Test
    void tokensPerMinuteAreSettledWithTheRealUsage() {
        List<Integer> estimates = new java.util.concurrent.CopyOnWriteArrayList<>();
        ModelFilter estimate = (call, chain) -> {
            estimates.add(call.estimatedTokens());
            chain.proceed(call);
        };
        try (Gateway gateway = new Gateway(keys("{ tokens_per_minute: 600 }", ""),
                Gateway.Options.defaults().withModelFilters(List.of(estimate)))) {
            BufferingSink first = chat(gateway, ALICE, "gpt-4o");
            long used = json(first).at("/usage/total_tokens").asLong();
            // the estimate and the real size differ, so the figure below tells a settled bucket from an unsettled one
            assertThat(Math.abs(used - estimates.get(0))).isGreaterThan(5);
            BufferingSink second = chat(gateway, ALICE, "gpt-4o");
            long remaining = Long.parseLong(second.headers().first("x-ratelimit-remaining-tokens"));
            // taken so far: the first call's real size (settled) and the second's estimate; 10 tokens a second refill,
            // so the tolerance below is half a second between the two calls
            long expected = 600 - used - estimates.get(1);
            assertThat(remaining).isBetween(expected, expected + 5);
        }
    }

    @Test
    void aRequestLargerThanTheTokenLimitIsRefusedOutright() {
        String big = "word ".repeat(400);
        try (Gateway gateway = new Gateway(keys("{ tokens_per_minute: 100 }", ""))) {
            BufferingSink refused = post(gateway, ALICE, "/v1/chat/completions",
                    "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + big + "\"}]}", "127.0.0.1");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(json(refused).at("/error/code").asText()).isEqualTo("request_too_large_for_limit");
            assertThat(refused.headers().first("retry-after")).isNull();
        }
    }

    @Test
    void modelAndGlobalLimitsCountEveryone() {
        GatewayConfig config = config(dir, "limits:\n  global: { requests_per_minute: 3 }\n  per_model: { \"*\": { requests_per_minute: 2 } }\n" + MOCK);
        try (Gateway gateway = new Gateway(config)) {
            assertThat(chat(gateway, AccessHarness.ADMIN_KEY, "gpt-4o").status()).isEqualTo(200);
            assertThat(chat(gateway, AccessHarness.ADMIN_KEY, "claude-x").status()).isEqualTo(200);
            BufferingSink refused = chat(gateway, AccessHarness.ADMIN_KEY, "gpt-4o");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(json(refused).at("/error/message").asText()).contains("model '*'");
        }
    }
}
