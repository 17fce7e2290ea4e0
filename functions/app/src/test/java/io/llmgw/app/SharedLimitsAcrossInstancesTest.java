package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.state.dynamodb.LocalStateTable;
import io.llmgw.testing.LocalDynalite;
import io.llmgw.testing.LocalRedis;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway processes sharing one store, under concurrent load split over both: 200 requests
 * from 20 threads. On Redis and on DynamoDB they admit exactly the configured requests per minute
 * (plus what the bucket refilled while the test ran), and a budget they share is never overspent.
 * The same load on the in-memory store shows what a per-instance limit admits: each process its own
 * allowance.
 */
class SharedLimitsAcrossInstancesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "admin-gateway-key-0123456789abcdef01234";
    private static final String ALICE = "alice-virtual-key-0123456789abcdef0123456";
    private static final String BOB = "bob-virtual-key-0123456789abcdef012345678";
    private static final int PER_MINUTE = 40;
    /** Dollars bob may spend; at $0.01 a token each request costs about $0.2 and reserves about $0.3. */
    private static final double BUDGET = 2.0;
    private static final String BODY = "{\"model\":\"gpt-4o\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void redisHoldsTheLimitAndTheBudgetAcrossInstances() throws Exception {
        try (LocalRedis redis = LocalRedis.start()) {
            Outcome outcome = run("state: { store: redis, url: \"" + redis.url() + "\", timeout: 10s }\n");
            outcome.assertShared();
        }
    }

    @Test
    void dynamoDbHoldsTheLimitAndTheBudgetAcrossInstances() throws Exception {
        try (LocalDynalite dynalite = LocalDynalite.start()) {
            LocalStateTable.create(dynalite.endpoint(), "gateway-state");
            Outcome outcome = run("state: { store: dynamodb, table: gateway-state, region: us-east-1, endpoint: \""
                    + dynalite.endpoint() + "\", timeout: 10s }\n");
            outcome.assertShared();
        }
    }

    @Test
    void inMemoryEachInstanceAdmitsItsOwnAllowance() throws Exception {
        Outcome outcome = run("");
        // what "a limit of 40 per minute" means on two instances without a shared store: up to twice as much
        assertThat(outcome.admitted).isGreaterThanOrEqualTo(2 * PER_MINUTE);
        assertThat(outcome.spent).isGreaterThan(BUDGET);
    }

    /** What the load did: requests admitted under the rate limit, dollars spent under the budget. */
    private record Outcome(int admitted, double refillAllowance, double spent, double recorded, double worstReservation) {
        void assertShared() {
            assertThat(admitted).isBetween(PER_MINUTE, PER_MINUTE + (int) Math.floor(refillAllowance));
            assertThat(spent).isLessThanOrEqualTo(BUDGET);
            // the budget was used, not refused from the start: at most one reservation short of it
            assertThat(spent).isGreaterThan(BUDGET - 2 * worstReservation);
            assertThat(recorded).as("the store's total is the sum of the costs both instances reported").isCloseTo(spent,
                    org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    private Outcome run(String state) throws Exception {
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, """
                auth:
                  keys: [%s]
                  virtual_keys:
                    - { name: alice, key: %s, limits: { requests_per_minute: %d } }
                    - { name: bob, key: %s, budget: { usd: %s, period: day } }
                prices:
                  gpt-4o: { input_per_mtok: 10000, output_per_mtok: 10000 }
                providers:
                  mock: { type: mock }
                models:
                  "*": { deployments: [{ provider: mock }] }
                """.formatted(ADMIN, ALICE, PER_MINUTE, BOB, BUDGET) + state);
        try (GatewayProcesses gateways = new GatewayProcesses(config, dir, 2)) {
            int[] ports = gateways.ports;
            long started = System.nanoTime();
            List<HttpResponse<String>> limited = load(ports, ALICE);
            double seconds = (System.nanoTime() - started) / 1e9;
            int admitted = count(limited, 200);
            assertThat(admitted + count(limited, 429)).as("every answer is an admission or a 429").isEqualTo(200);

            List<HttpResponse<String>> budgeted = load(ports, BOB);
            double spent = 0;
            for (HttpResponse<String> response : budgeted) {
                if (response.statusCode() == 200) {
                    spent += Double.parseDouble(response.headers().firstValue("x-gateway-cost-usd").orElseThrow());
                } else {
                    assertThat(response.statusCode()).isEqualTo(429);
                    assertThat(JSON.readTree(response.body()).at("/error/code").asText()).isEqualTo("budget_exceeded");
                }
            }
            double recorded = JSON.readTree(get(ports[1], "/admin/usage").body()).at("/keys/1/usage/usd").asDouble();
            // a request reserves its estimated input and 8 output tokens at $0.01 each; 40 tokens bounds it
            System.out.printf("shared limits (%s): %d of 200 admitted at %d/min in %.1f s; $%.4f spent of $%.2f, $%.4f recorded%n",
                    state.isEmpty() ? "memory" : state.replaceAll("^state: \\{ store: (\\w+).*\\s*$", "$1").trim(), admitted, PER_MINUTE, seconds, spent, BUDGET,
                    recorded);
            return new Outcome(admitted, seconds * PER_MINUTE / 60.0 + 1, spent, recorded, 0.40);
        }
    }

    /** 200 requests from 20 threads, alternating between the two instances. */
    private List<HttpResponse<String>> load(int[] ports, String key) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int port = ports[i % 2];
                calls.add(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                        .header("authorization", "Bearer " + key).header("content-type", "application/json")
                        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(BODY)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> future : pool.invokeAll(calls)) {
                responses.add(future.get());
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("authorization", "Bearer " + ADMIN)
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int count(List<HttpResponse<String>> responses, int status) {
        return (int) responses.stream().filter(r -> r.statusCode() == status).count();
    }
}
