package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import io.llmgw.testing.AnthropicScript;
import io.llmgw.testing.FakeUpstream;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Limits and costs as the official SDKs meet them: a 429 with {@code retry-after} that the SDK
 * waits out and retries, the rate-limit headers each SDK's users read, and the cost of a scripted
 * conversation checked by hand against the price table.
 */
class AccessSdkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALICE = "alice-virtual-key-0123456789abcdef0123456";

    /** One request a second on average, one at a time: a second request at once waits a second. */
    private static TestGateway limited() {
        return TestGateway.start("""
                auth:
                  keys: ["${GW_KEY}"]
                  virtual_keys:
                    - { name: alice, key: "%s", team: platform, limits: { requests_per_minute: 60, burst: 1 } }
                providers:
                  mock: { type: mock }
                models:
                  "*": { deployments: [{ provider: mock }] }
                """.formatted(ALICE));
    }

    @Test
    void openAiSdkWaitsOutRetryAfterAndSucceeds() throws Exception {
        try (TestGateway gateway = limited()) {
            OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(gateway.url("/v1")).apiKey(ALICE).maxRetries(2)
                    .timeout(Duration.ofSeconds(30)).build();
            var params = SdkChat.ask("hello").build();
            var first = client.withRawResponse().chat().completions().create(params);
            assertThat(first.headers().values("x-ratelimit-limit-requests")).containsExactly("1");
            assertThat(first.headers().values("x-ratelimit-remaining-requests")).containsExactly("0");

            long started = System.nanoTime();
            var second = client.withRawResponse().chat().completions().create(params);
            Duration waited = Duration.ofNanos(System.nanoTime() - started);

            ChatCompletion completion = second.parse();
            assertThat(completion.choices()).isNotEmpty();
            assertThat(waited).as("the SDK waited for retry-after before trying again").isGreaterThan(Duration.ofMillis(900));
            assertThat(refusals(gateway)).isEqualTo(1);
        }
    }

    @Test
    void anthropicSdkWaitsOutRetryAfterAndReadsAnthropicsHeaders() throws Exception {
        try (TestGateway gateway = limited()) {
            AnthropicClient client = AnthropicOkHttpClient.builder().baseUrl(gateway.url("")).apiKey(ALICE).maxRetries(2)
                    .timeout(Duration.ofSeconds(30)).build();
            MessageCreateParams params = MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(64).addUserMessage("hello").build();
            HttpResponseFor<Message> first = client.messages().withRawResponse().create(params);
            assertThat(first.headers().values("anthropic-ratelimit-requests-limit")).containsExactly("1");
            assertThat(first.headers().values("anthropic-ratelimit-requests-remaining")).containsExactly("0");
            assertThat(first.headers().values("anthropic-ratelimit-requests-reset")).singleElement().asString().endsWith("Z");

            long started = System.nanoTime();
            Message second = client.messages().create(params);
            Duration waited = Duration.ofNanos(System.nanoTime() - started);

            assertThat(second.content()).isNotEmpty();
            assertThat(waited).isGreaterThan(Duration.ofMillis(900));
            assertThat(refusals(gateway)).isEqualTo(1);
        }
    }

    @Test
    void aRefusalCarriesTheHeadersAndRetryAfter() throws Exception {
        try (TestGateway gateway = limited()) {
            String body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            assertThat(gateway.send("POST", "/v1/chat/completions", body, "authorization", "Bearer " + ALICE).statusCode()).isEqualTo(200);
            HttpResponse<String> refused = gateway.send("POST", "/v1/chat/completions", body, "authorization", "Bearer " + ALICE);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
            assertThat(refused.headers().firstValue("x-ratelimit-limit-requests")).hasValue("1");
            assertThat(refused.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
            assertThat(refused.headers().firstValue("x-ratelimit-reset-requests")).hasValueSatisfying(v -> assertThat(v).matches("\\d+(ms|s)"));
            assertThat(JSON.readTree(refused.body()).at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
        }
    }

    /**
     * Three turns of a conversation with prompt caching, on the built-in Claude Sonnet 4.5 price:
     * $3 per million input tokens, $15 output, $0.30 cache reads and $3.75 cache writes.
     */
    @Test
    void theCostOfAScriptedConversationMatchesThePriceTable() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start();
             TestGateway gateway = TestGateway.start("""
                     auth:
                       keys: ["${GW_KEY}"]
                       virtual_keys:
                         - { name: alice, key: "%s", team: platform }
                     providers:
                       claude: { type: anthropic, base_url: "%s", api_key: "${UP_KEY}", timeout: 5s }
                     models:
                       sonnet: { deployments: [{ provider: claude, model: claude-sonnet-4-5-20250929 }] }
                     """.formatted(ALICE, upstream.baseUrl()))) {
            AnthropicClient client = AnthropicOkHttpClient.builder().baseUrl(gateway.url("")).apiKey(ALICE).maxRetries(0).build();
            int[][] turns = {
                    // uncached input, output, cache read, cache write
                    {1_200, 300, 0, 20_000},
                    {150, 420, 20_000, 1_500},
                    {90, 1_000, 21_500, 0},
            };
            double total = 0;
            for (int[] turn : turns) {
                upstream.handler(AnthropicScript.text("An answer.").usage(turn[0], turn[1]).cache(turn[2], turn[3]).handler());
                HttpResponseFor<Message> answer = client.messages().withRawResponse()
                        .create(MessageCreateParams.builder().model("sonnet").maxTokens(2048).addUserMessage("next").build());
                double byHand = (turn[0] * 3.0 + turn[1] * 15.0 + turn[2] * 0.30 + turn[3] * 3.75) / 1_000_000;
                assertThat(Double.parseDouble(answer.headers().values("x-gateway-cost-usd").get(0)))
                        .isCloseTo(byHand, org.assertj.core.data.Offset.offset(1e-6));
                total += byHand;
            }
            // 0.0036 + 0.0045 + 0.075 = 0.0831; 0.00045 + 0.0063 + 0.006 + 0.005625 = 0.018375; 0.00027 + 0.015 + 0.00645 = 0.02172
            assertThat(total).isCloseTo(0.0831 + 0.018375 + 0.02172, org.assertj.core.data.Offset.offset(1e-9));
            JsonNode usage = JSON.readTree(gateway.send("GET", "/admin/usage", null, "authorization", "Bearer " + TestGateway.GATEWAY_KEY)
                    .body()).path("keys").get(0).path("usage");
            assertThat(usage.path("usd").asDouble()).isCloseTo(total, org.assertj.core.data.Offset.offset(1e-5));
            String metrics = gateway.send("GET", "/metrics", null, "authorization", "Bearer " + TestGateway.GATEWAY_KEY).body();
            assertThat(metrics).contains("gateway_tokens_total{key=\"alice\",kind=\"cache_read\",model=\"sonnet\",team=\"platform\"} 41500.0");
            assertThat(metrics).containsPattern("gateway_cost_usd_total\\{key=\"alice\",model=\"sonnet\",team=\"platform\"} 0\\.1231");
        }
    }

    private static long refusals(TestGateway gateway) throws Exception {
        String metrics = gateway.send("GET", "/metrics", null, "authorization", "Bearer " + TestGateway.GATEWAY_KEY).body();
        return metrics.lines().filter(l -> l.startsWith("gateway_requests_total{") && l.contains("status=\"429\""))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

}
