package io.llmgw.lambda.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Usage;
import io.llmgw.core.telemetry.RequestContext;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The response cache in the EMF line: what it did with the request, and what it stored, as metrics CloudWatch extracts. */
class EmfMetricsTest {
    private final EmfMetrics emf = new EmfMetrics("LlmGateway", "gateway", Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    private static List<String> declared(JsonNode line) {
        List<String> names = new ArrayList<>();
        line.at("/_aws/CloudWatchMetrics").forEach(directive -> directive.path("Metrics").forEach(m -> names.add(m.path("Name").asText())));
        return names;
    }

    @Test
    void aHitAndAStoredMissAreMetrics() throws Exception {
        RequestContext hit = new RequestContext("req_1", System.nanoTime());
        hit.status(200);
        hit.cache("hit");
        hit.usage(new Usage(12, 7, null, null, null));
        hit.costUsd(0.0);
        JsonNode hitLine = Json.parse(emf.line(hit, "lambda-1").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(declared(hitLine)).contains("gateway_cache_hits_total", "gateway_cache_misses_total", "gateway_cache_bypasses_total");
        assertThat(hitLine.path("gateway_cache_hits_total").asLong()).isEqualTo(1);
        assertThat(hitLine.path("gateway_cache_misses_total").asLong()).isZero();
        assertThat(hitLine.path("cache").asText()).isEqualTo("hit");
        assertThat(hitLine.path("gateway_cost_usd_total").asDouble()).isZero();

        RequestContext miss = new RequestContext("req_2", System.nanoTime());
        miss.status(200);
        miss.cache("miss");
        miss.cacheStored(321);
        JsonNode missLine = Json.parse(emf.line(miss, "lambda-2").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(missLine.path("gateway_cache_misses_total").asLong()).isEqualTo(1);
        assertThat(missLine.path("gateway_cache_bytes").asLong()).isEqualTo(321);
        assertThat(declared(missLine)).contains("gateway_cache_bytes");

        RequestContext none = new RequestContext("req_3", System.nanoTime());
        none.status(200);
        assertThat(declared(Json.parse(emf.line(none, null).getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .as("no cache configured, no cache metrics").noneMatch(name -> name.startsWith("gateway_cache_"));
    }
}
