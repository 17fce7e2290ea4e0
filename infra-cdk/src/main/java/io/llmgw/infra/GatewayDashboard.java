package io.llmgw.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.LogQueryVisualizationType;
import software.amazon.awscdk.services.cloudwatch.LogQueryWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.constructs.Construct;

/**
 * One CloudWatch dashboard per deployment, the same panels on every platform: requests and errors,
 * errors by class, latency p50/p99, time to first token, tokens and cost by model, circuit-breaker
 * openings and cache hits, then the platform's own metrics.
 *
 * <p>Sources. On Lambda the gateway writes CloudWatch EMF lines (namespace {@code LlmGateway},
 * dimension {@code service}; see functions/aws-lambda's EmfMetrics), so the traffic panels are
 * metrics. A container writes no EMF (CloudWatch only extracts it from Lambda logs or through an
 * agent), so there the same panels are Logs Insights queries over the request log line that every
 * platform writes (fields {@code status}, {@code duration_ms}, {@code ttfb_ms}, {@code model},
 * {@code input_tokens}, {@code output_tokens}, {@code error}). Breakdowns by model and by error class
 * are queries on both: the EMF lines carry those as properties, not dimensions. Cost, cache hits and
 * breaker state are metric searches by name ({@code gateway_cost_usd_total},
 * {@code gateway_cache_hits_total}, {@code gateway_circuit_breaker_state}) in the gateway's
 * namespace, so they fill in once the gateway emits them there, whatever their dimensions.
 */
final class GatewayDashboard extends Construct {
    static final String SERVICE = "llm-gateway";
    private static final String REQUEST_LINES = "filter message = \"request\" and dialect != \"probe\" and dialect != \"metrics\"";

    private final Dashboard dashboard;

    /**
     * @param emf           whether the platform's logs carry the gateway's EMF metrics (Lambda)
     * @param logGroupNames where the request log lines are
     * @param platform      the platform's own panels (invocations, load balancer, instances …)
     */
    GatewayDashboard(Construct scope, String id, String title, String namespace, boolean emf, List<String> logGroupNames,
                     List<IWidget> platform) {
        super(scope, id);
        List<IWidget> widgets = new ArrayList<>();
        widgets.add(TextWidget.Builder.create().width(24).height(2).markdown("# " + title + "\n"
                + (emf ? "Traffic from the gateway's EMF metrics (namespace `" + namespace + "`, service `" + SERVICE + "`)"
                        : "Traffic from the gateway's request log lines (Logs Insights)")
                + "; breakdowns by model and error class from the request log; cost, cache hits and breaker state from the `"
                + namespace + "` metrics of those names.").build());
        if (emf) {
            widgets.addAll(emfTraffic(namespace));
        } else {
            widgets.addAll(logTraffic(logGroupNames));
        }
        widgets.add(query("Errors by class", logGroupNames, LogQueryVisualizationType.TABLE,
                REQUEST_LINES + " and ispresent(error)", "stats count(*) as errors by error", "sort errors desc"));
        widgets.add(query("Tokens by model", logGroupNames, LogQueryVisualizationType.TABLE,
                REQUEST_LINES + " and ispresent(model)",
                "stats count(*) as requests, sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens by model",
                "sort output_tokens desc"));
        widgets.add(search("Cost by model (USD)", namespace, "gateway_cost_usd_total", "Sum"));
        widgets.add(search("Cache hits", namespace, "gateway_cache_hits_total", "Sum"));
        widgets.add(search("Circuit breaker state (1 = open)", namespace, "gateway_circuit_breaker_state", "Maximum"));
        widgets.addAll(platform);
        dashboard = Dashboard.Builder.create(this, "Dashboard")
                .widgets(rows(widgets))
                .build();
    }

    Dashboard dashboard() {
        return dashboard;
    }

    /** The EMF metric {@code name} for the gateway service. */
    static Metric emf(String namespace, String name, String statistic, String label) {
        return Metric.Builder.create().namespace(namespace).metricName(name).dimensionsMap(Map.of("service", SERVICE))
                .statistic(statistic).label(label).period(Duration.minutes(5)).build();
    }

    private static List<IWidget> emfTraffic(String namespace) {
        return List.of(
                graph("Requests and errors", List.of(
                        emf(namespace, "gateway_requests_total", "Sum", "requests"),
                        emf(namespace, "gateway_errors_total", "Sum", "errors (4xx, 5xx, in-stream)"))),
                graph("Latency (s)", List.of(
                        emf(namespace, "gateway_request_duration_seconds", "p50", "p50"),
                        emf(namespace, "gateway_request_duration_seconds", "p99", "p99"))),
                graph("Time to first token (s)", List.of(
                        emf(namespace, "gateway_time_to_first_byte_seconds", "p50", "p50"),
                        emf(namespace, "gateway_time_to_first_byte_seconds", "p99", "p99"))),
                graph("Tokens", List.of(
                        emf(namespace, "gateway_input_tokens_total", "Sum", "input"),
                        emf(namespace, "gateway_output_tokens_total", "Sum", "output"))));
    }

    private static List<IWidget> logTraffic(List<String> logGroupNames) {
        LogQueryVisualizationType line = LogQueryVisualizationType.LINE;
        return List.of(
                // count(error) counts the lines that have an error field: failures of any class.
                query("Requests and errors", logGroupNames, line, REQUEST_LINES,
                        "stats count(*) as requests, count(error) as errors by bin(5m)"),
                query("Latency (ms)", logGroupNames, line, REQUEST_LINES,
                        "stats pct(duration_ms, 50) as p50, pct(duration_ms, 99) as p99 by bin(5m)"),
                query("Time to first token (ms)", logGroupNames, line, REQUEST_LINES + " and ispresent(upstream) and ispresent(ttfb_ms)",
                        "stats pct(ttfb_ms, 50) as p50, pct(ttfb_ms, 99) as p99 by bin(5m)"),
                query("Tokens", logGroupNames, line, REQUEST_LINES,
                        "stats sum(input_tokens) as input, sum(output_tokens) as output by bin(5m)"));
    }

    static GraphWidget graph(String title, List<? extends IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).width(8).height(6).left(List.copyOf(metrics)).build();
    }

    private static LogQueryWidget query(String title, List<String> logGroupNames, LogQueryVisualizationType view, String... lines) {
        return LogQueryWidget.Builder.create().title(title).width(8).height(6).logGroupNames(logGroupNames)
                .view(view).queryLines(List.of(lines)).build();
    }

    /** Every series of metric {@code name} in the namespace, whatever its dimensions (model, key, deployment …). */
    private static GraphWidget search(String title, String namespace, String name, String statistic) {
        return graph(title, List.of(MathExpression.Builder.create()
                .expression("SEARCH('{" + namespace + "} MetricName=\"" + name + "\"', '" + statistic + "', 300)")
                .label(name)
                .usingMetrics(Map.of())
                .period(Duration.minutes(5))
                .build()));
    }

    /** Three 8-wide widgets per row. */
    private static List<List<IWidget>> rows(List<IWidget> widgets) {
        List<List<IWidget>> rows = new ArrayList<>();
        List<IWidget> row = new ArrayList<>();
        int width = 0;
        for (IWidget widget : widgets) {
            if (width + widget.getWidth().intValue() > 24) {
                rows.add(row);
                row = new ArrayList<>();
                width = 0;
            }
            row.add(widget);
            width += widget.getWidth().intValue();
        }
        if (!row.isEmpty()) {
            rows.add(row);
        }
        return rows;
    }
}
