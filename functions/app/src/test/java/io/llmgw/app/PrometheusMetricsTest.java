package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.model.Usage;
import io.llmgw.core.telemetry.RequestContext;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The meters a model request updates, kept per label set: each series counts its own requests only. */
class PrometheusMetricsTest {
    private static RequestContext request(String route, int status, String key, Usage usage, Double cost, boolean firstByte) {
        RequestContext ctx = new RequestContext("req_test", System.nanoTime());
        ctx.dialect("openai-chat");
        ctx.route(route);
        ctx.status(status);
        ctx.meteredAs(key, "none");
        if (usage != null) {
            ctx.usage(usage);
        }
        ctx.costUsd(cost);
        if (firstByte) {
            ctx.upstream("up/deployment");
            ctx.firstByteSent();
        }
        return ctx;
    }

    private static String scrape(PrometheusMetrics metrics) {
        return new String(metrics.exposition(), StandardCharsets.UTF_8);
    }

    @Test
    void eachLabelSetCountsItsOwnRequests() {
        PrometheusMetrics metrics = new PrometheusMetrics();
        Usage plain = new Usage(10, 2, null, null, null);
        metrics.requestFinished(request("gpt-4o", 200, "alice", plain, 0.5, true));
        metrics.requestFinished(request("gpt-4o", 200, "alice", plain, 0.25, true));
        metrics.requestFinished(request("gpt-4o", 200, "bob", new Usage(1, 1, null, null, 7), null, false));
        metrics.requestFinished(request("gpt-4o", 429, "alice", null, null, false));

        String text = scrape(metrics);
        assertThat(text).contains(
                "gateway_requests_total{dialect=\"openai-chat\",model=\"gpt-4o\",status=\"200\"} 3.0",
                "gateway_requests_total{dialect=\"openai-chat\",model=\"gpt-4o\",status=\"429\"} 1.0",
                "gateway_request_duration_seconds_count{dialect=\"openai-chat\"} 4",
                "gateway_time_to_first_token_seconds_count{dialect=\"openai-chat\"} 2",
                "gateway_tokens_total{key=\"alice\",kind=\"input\",model=\"gpt-4o\",team=\"none\"} 20.0",
                "gateway_tokens_total{key=\"alice\",kind=\"output\",model=\"gpt-4o\",team=\"none\"} 4.0",
                "gateway_tokens_total{key=\"bob\",kind=\"input\",model=\"gpt-4o\",team=\"none\"} 1.0",
                "gateway_tokens_total{key=\"bob\",kind=\"reasoning\",model=\"gpt-4o\",team=\"none\"} 7.0",
                "gateway_cost_usd_total{key=\"alice\",model=\"gpt-4o\",team=\"none\"} 0.75");
        // a kind never reported, or a request never priced, has no series of its own
        assertThat(text).doesNotContain("key=\"alice\",kind=\"reasoning\"", "kind=\"cache_read\"",
                "gateway_cost_usd_total{key=\"bob\"");
    }
}
