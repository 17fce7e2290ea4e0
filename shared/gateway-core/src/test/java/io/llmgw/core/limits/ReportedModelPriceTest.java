package io.llmgw.core.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.routing.GatewayHarness;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A whole answer passed through is priced by the model the upstream reports when neither the
 * requested name nor the deployment's has a price: the deployment here names a house alias the
 * built-in table does not know, and the upstream answers as gpt-4o-mini.
 */
class ReportedModelPriceTest {
    private FakeUpstream upstream;
    private GatewayHarness harness;

    @BeforeEach
    void start() {
        upstream = FakeUpstream.start().handler(ChatScript.text("hi").model("gpt-4o-mini-2024-07-18").usage(1_000_000, 1_000_000).handler());
        harness = new GatewayHarness("""
                auth: { mode: gateway, keys: ["${KEY}"] }
                providers:
                  up: { type: openai, base_url: "%s/v1", api_key: sk-configured-upstream-key-000000 }
                models:
                  house: { deployments: [ { provider: up, model: house-alias } ] }
                """.formatted(upstream.baseUrl()));
    }

    @AfterEach
    void stop() {
        harness.close();
        upstream.close();
    }

    @Test
    void aWholeAnswerIsPricedByTheReportedModel() {
        BufferingSink sink = harness.post("/v1/chat/completions", "{\"model\":\"house\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(sink.status()).isEqualTo(200);
        assertThat(sink.bodyText()).contains("\"model\":\"house\"");
        // a million tokens each way at gpt-4o-mini's 0.15 and 0.60 dollars per million
        assertThat(sink.headers().first(CostFilter.HEADER)).isEqualTo("0.750000");
    }
}
