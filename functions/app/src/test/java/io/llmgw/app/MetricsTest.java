package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.Reply;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} in Prometheus' format with the gateway's metric family. */
class MetricsTest {
    @Test
    void requestsAttemptsTokensErrorsBreakersAndInFlight() {
        try (FakeUpstream upstream = FakeUpstream.start();
             TestGateway gateway = TestGateway.start(TestGateway.singleUpstream("openai", upstream.baseUrl()) + "routing:\n  retries: 0\n")) {
            upstream.handler(ChatScript.text("counted").usage(21, 4).handler());
            String body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
            assertThat(gateway.postJsonWithKey("/v1/chat/completions", body).statusCode()).isEqualTo(200);
            upstream.enqueue(Reply.json(429, "{\"error\":{\"message\":\"slow\",\"code\":\"rate_limit_exceeded\"}}"));
            assertThat(gateway.postJsonWithKey("/v1/chat/completions", body).statusCode()).isEqualTo(429);
            assertThat(gateway.postJsonWithKey("/v1/chat/completions", body.replace("gpt-4o", "no-such-model")).statusCode()).isEqualTo(404);

            assertThat(gateway.send("GET", "/metrics", null).statusCode()).as("no key").isEqualTo(401);
            HttpResponse<String> scrape = gateway.send("GET", "/metrics", null, "authorization", "Bearer " + TestGateway.GATEWAY_KEY);
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
            String text = scrape.body();
            assertThat(text).contains(
                    "gateway_requests_total{dialect=\"openai-chat\",model=\"gpt-4o\",status=\"200\"} 1.0",
                    "gateway_requests_total{dialect=\"openai-chat\",model=\"gpt-4o\",status=\"429\"} 1.0",
                    "gateway_requests_total{dialect=\"openai-chat\",model=\"none\",status=\"404\"} 1.0",
                    "gateway_request_duration_seconds_bucket",
                    "gateway_time_to_first_token_seconds_bucket",
                    "gateway_provider_requests_total{deployment=\"up/gpt-4o-prod\",outcome=\"success\",provider=\"up\"} 1.0",
                    "gateway_provider_requests_total{deployment=\"up/gpt-4o-prod\",outcome=\"rate_limit\",provider=\"up\"} 1.0",
                    "gateway_tokens_total{key=\"key\",kind=\"input\",model=\"gpt-4o\",team=\"none\"} 21.0",
                    "gateway_tokens_total{key=\"key\",kind=\"output\",model=\"gpt-4o\",team=\"none\"} 4.0",
                    // the built-in price of gpt-4o: 21 x $2.50 + 4 x $10 per million tokens
                    "gateway_cost_usd_total{key=\"key\",model=\"gpt-4o\",team=\"none\"} 9.25E-5",
                    "gateway_errors_total{class=\"rate_limit\"} 1.0",
                    "gateway_errors_total{class=\"not_found\"} 1.0",
                    "gateway_circuit_breaker_state{deployment=\"up/gpt-4o-prod\"} 0.0",
                    "gateway_in_flight_requests 0.0");
            assertThat(text).doesNotContain("no-such-model");
        }
    }
}
