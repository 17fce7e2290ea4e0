package io.llmgw.lambda.telemetry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.telemetry.RequestContext;
import java.time.Clock;

/**
 * CloudWatch Embedded Metric Format: one JSON line per request on stdout, which CloudWatch Logs
 * turns into metrics (namespace {@code POWERTOOLS_METRICS_NAMESPACE}, default {@code LlmGateway};
 * dimension {@code service}). Dialect, model, upstream and status ride along as plain properties,
 * queryable in Logs Insights without multiplying metric series.
 *
 * <p>Written by hand rather than through Powertools Metrics: that pulls aws-embedded-metrics,
 * whose environment detection probes the EC2 metadata address outside Lambda, and adds its classes
 * to every cold start for what is one JSON line.
 */
public final class EmfMetrics {
    private final String namespace;
    private final String service;
    private final Clock clock;

    public EmfMetrics(String namespace, String service, Clock clock) {
        this.namespace = namespace;
        this.service = service;
        this.clock = clock;
    }

    /** The EMF document for one finished request. */
    public String line(RequestContext ctx, String lambdaRequestId) {
        ObjectNode root = Json.object();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", clock.millis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", namespace);
        directive.putArray("Dimensions").addArray().add("service");
        // (the spend directive below adds key, team and route dimensions to the token and cost metrics only)
        ArrayNode metrics = directive.putArray("Metrics");
        root.put("service", service);

        boolean error = ctx.status() >= 400 || ctx.errorKind() != null;
        metric(root, metrics, "gateway_requests_total", 1, "Count");
        metric(root, metrics, "gateway_errors_total", error ? 1 : 0, "Count");
        metric(root, metrics, "gateway_request_duration_seconds", ctx.durationMillis() / 1000, "Seconds");
        metric(root, metrics, "gateway_overhead_seconds", ctx.overheadMillis() / 1000, "Seconds");
        if (ctx.timeToFirstByteMillis() >= 0) {
            metric(root, metrics, "gateway_time_to_first_byte_seconds", ctx.timeToFirstByteMillis() / 1000, "Seconds");
        }
        if (ctx.cache() != null) {
            metric(root, metrics, "gateway_cache_hits_total", ctx.cache().equals("hit") ? 1 : 0, "Count");
            metric(root, metrics, "gateway_cache_misses_total", ctx.cache().equals("miss") ? 1 : 0, "Count");
            metric(root, metrics, "gateway_cache_bypasses_total", ctx.cache().equals("bypass") ? 1 : 0, "Count");
            if (ctx.cacheStoredBytes() > 0) {
                metric(root, metrics, "gateway_cache_bytes", ctx.cacheStoredBytes(), "Bytes");
            }
            if (ctx.cacheSkipped() != null) {
                metric(root, metrics, "gateway_cache_skipped_total", 1, "Count");
                root.put("cache_skipped", ctx.cacheSkipped());
            }
            root.put("cache", ctx.cache());
        }
        io.llmgw.core.model.Usage usage = ctx.usage();
        if (usage != null) {
            // Spend per payer and per model in a directive of its own, so only these metrics carry the extra
            // dimensions; their values are configured names (virtual keys, teams, model routes), never a caller's.
            ObjectNode spend = aws.withArray("CloudWatchMetrics").addObject();
            spend.put("Namespace", namespace);
            ArrayNode dimensions = spend.putArray("Dimensions");
            dimensions.addArray().add("service").add("key").add("team");
            dimensions.addArray().add("service").add("route");
            ArrayNode spendMetrics = spend.putArray("Metrics");
            root.put("key", ctx.meteredKey());
            root.put("team", ctx.meteredTeam());
            root.put("route", ctx.route() == null ? "none" : ctx.route());
            if (usage.inputTokens() != null) {
                metric(root, spendMetrics, "gateway_input_tokens_total", usage.inputTokens(), "Count");
            }
            if (usage.outputTokens() != null) {
                metric(root, spendMetrics, "gateway_output_tokens_total", usage.outputTokens(), "Count");
            }
            metric(root, spendMetrics, "gateway_cache_read_tokens_total", usage.cacheRead(), "Count");
            metric(root, spendMetrics, "gateway_cache_write_tokens_total", usage.cacheWrite(), "Count");
            metric(root, spendMetrics, "gateway_reasoning_tokens_total", usage.reasoning(), "Count");
            if (ctx.costUsd() != null) {
                metric(root, spendMetrics, "gateway_cost_usd_total", ctx.costUsd(), "None");
            }
        }

        root.put("request_id", ctx.requestId());
        if (lambdaRequestId != null) {
            root.put("function_request_id", lambdaRequestId);
        }
        root.put("status", ctx.status());
        root.put("dialect", ctx.dialect());
        if (ctx.model() != null) {
            root.put("model", ctx.model());
        }
        if (ctx.upstream() != null) {
            root.put("upstream", ctx.upstream());
        }
        if (ctx.errorKind() != null) {
            root.put("error", ctx.errorKind());
        }
        return Json.string(root);
    }

    private static void metric(ObjectNode root, ArrayNode metrics, String name, double value, String unit) {
        metrics.addObject().put("Name", name).put("Unit", unit);
        if (value == Math.rint(value)) {
            root.put(name, (long) value);
        } else {
            root.put(name, Math.round(value * 1e9) / 1e9);  // nanodollars and nanoseconds survive
        }
    }
}
