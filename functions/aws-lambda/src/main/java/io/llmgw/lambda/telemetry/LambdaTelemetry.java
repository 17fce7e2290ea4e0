package io.llmgw.lambda.telemetry;

import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.lambda.runtime.Invocation;
import io.llmgw.lambda.runtime.LambdaContext;
import java.io.PrintStream;
import java.time.Clock;
import java.util.function.Function;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * Per-invocation telemetry of the streaming loop: Powertools' JSON log fields (function,
 * cold start, request id), Lambda's request id as correlation id, the X-Ray trace header where the
 * AWS SDK and the logs look for it, and one EMF metrics line per request.
 */
public final class LambdaTelemetry {
    /** Where the official Java runtime puts the trace header for the X-Ray SDK; we do the same per invocation. */
    public static final String TRACE_PROPERTY = "com.amazonaws.xray.traceHeader";

    private final Function<String, String> env;
    private final EmfMetrics metrics;
    private final PrintStream out;
    private String lambdaRequestId;

    public LambdaTelemetry(Function<String, String> env, Clock clock, PrintStream out) {
        this.env = env;
        this.out = out;
        this.metrics = new EmfMetrics(orDefault(env.apply("POWERTOOLS_METRICS_NAMESPACE"), "LlmGateway"),
                orDefault(env.apply("POWERTOOLS_SERVICE_NAME"), "llm-gateway"), clock);
    }

    public void begin(Invocation invocation) {
        lambdaRequestId = invocation.requestId();
        if (invocation.traceId() != null) {
            System.setProperty(TRACE_PROPERTY, invocation.traceId());
        } else {
            System.clearProperty(TRACE_PROPERTY);
        }
        PowertoolsLogging.initializeLogging(new LambdaContext(invocation, env));
        MDC.put("correlation_id", invocation.requestId());
        String root = traceRoot(invocation.traceId());
        if (root != null) {
            MDC.put("xray_trace_id", root);
        }
    }

    public void requestCompleted(RequestContext ctx) {
        out.println(metrics.line(ctx, lambdaRequestId));
        out.flush();
    }

    public void end() {
        PowertoolsLogging.clearState(true);
        MDC.clear();
        lambdaRequestId = null;
    }

    /** {@code Root=1-…;Parent=…;Sampled=1} → {@code 1-…}. */
    static String traceRoot(String header) {
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            if (part.startsWith("Root=")) {
                return part.substring(5);
            }
        }
        return null;
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
