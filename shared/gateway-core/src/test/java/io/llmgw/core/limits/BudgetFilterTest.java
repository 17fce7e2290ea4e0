package io.llmgw.core.limits;

import static io.llmgw.core.limits.AccessHarness.ADMIN_KEY;
import static io.llmgw.core.limits.AccessHarness.ALICE;
import static io.llmgw.core.limits.AccessHarness.BOB;
import static io.llmgw.core.limits.AccessHarness.config;
import static io.llmgw.core.limits.AccessHarness.get;
import static io.llmgw.core.limits.AccessHarness.json;
import static io.llmgw.core.limits.AccessHarness.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.Gateway;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.stream.BufferingSink;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Budgets: the worst case reserved before the call, the real cost settled after, never overspent under concurrency. */
class BudgetFilterTest {
    /** One dollar per token in and out, so dollars and tokens read the same. */
    private static final String PRICED = "prices:\n  gpt-4o: { input_per_mtok: 1000000, output_per_mtok: 1000000 }\n"
            + "providers: { m: { type: mock } }\nmodels: { \"*\": { deployments: [{ provider: m }] } }\n";
    private static final String BODY = "{\"model\":\"gpt-4o\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";

    @TempDir
    Path dir;

    private GatewayConfig budget(String budget) {
        return config(dir, "  virtual_keys:\n    - { name: alice, key: " + ALICE + ", team: platform, budget: " + budget + " }\n"
                + "    - { name: bob, key: " + BOB + " }\n" + PRICED);
    }

    @Test
    void requestsRunUntilTheBudgetCannotCoverTheNextWorstCase() {
        try (Gateway gateway = new Gateway(budget("{ usd: 200, period: day }"))) {
            double spent = 0;
            BufferingSink last;
            int answered = 0;
            while ((last = post(gateway, ALICE, "/v1/chat/completions", BODY, "127.0.0.1")).status() == 200) {
                JsonNode usage = json(last).path("usage");
                double cost = usage.path("prompt_tokens").asLong() + usage.path("completion_tokens").asLong();
                assertThat(Double.parseDouble(last.headers().first("x-gateway-cost-usd"))).isEqualTo(cost);
                spent += cost;
                answered++;
                assertThat(answered).isLessThan(200);
            }
            assertThat(answered).isGreaterThan(2);
            assertThat(last.status()).isEqualTo(429);
            JsonNode error = json(last).path("error");
            assertThat(error.path("code").asText()).isEqualTo("budget_exceeded");
            assertThat(error.path("message").asText()).contains("this key", "$200.00");
            assertThat(last.headers().first("retry-after")).isNull();  // a retry will not help before the period ends
            assertThat(spent).isLessThanOrEqualTo(200);
            JsonNode usage = json(get(gateway, ADMIN_KEY, "/admin/usage")).path("keys").get(0).path("usage");
            assertThat(usage.path("usd").asDouble()).isEqualTo(spent);
            // bob has no budget
            assertThat(post(gateway, BOB, "/v1/chat/completions", BODY, "127.0.0.1").status()).isEqualTo(200);
        }
    }

    @Test
    void concurrentRequestsNeverSpendMoreThanTheBudget() throws Exception {
        try (Gateway gateway = new Gateway(budget("{ usd: 300, tokens: 100000 }"))) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<BufferingSink>> results = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                results.add(pool.submit(() -> post(gateway, ALICE, "/v1/chat/completions", BODY, "127.0.0.1")));
            }
            double spent = 0;
            int refused = 0;
            for (Future<BufferingSink> result : results) {
                BufferingSink sink = result.get();
                if (sink.status() == 200) {
                    spent += Double.parseDouble(sink.headers().first("x-gateway-cost-usd"));
                } else {
                    assertThat(sink.status()).isEqualTo(429);
                    refused++;
                }
            }
            pool.shutdown();
            assertThat(refused).isPositive();
            assertThat(spent).isLessThanOrEqualTo(300);
            JsonNode usage = json(get(gateway, ADMIN_KEY, "/admin/usage")).path("keys").get(0).path("usage");
            assertThat(usage.path("usd").asDouble()).as("every reservation settled to the real cost").isEqualTo(spent);
        }
    }

    @Test
    void aTokenBudgetCountsTokens() {
        try (Gateway gateway = new Gateway(budget("{ tokens: 60 }"))) {
            int answered = 0;
            while (post(gateway, ALICE, "/v1/chat/completions", BODY, "127.0.0.1").status() == 200) {
                answered++;
                assertThat(answered).isLessThan(60);
            }
            JsonNode usage = json(get(gateway, ADMIN_KEY, "/admin/usage")).path("keys").get(0).path("usage");
            assertThat(usage.path("tokens").asLong()).isBetween(1L, 60L);
            assertThat(usage.path("tokens_budget").asLong()).isEqualTo(60);
        }
    }
}
