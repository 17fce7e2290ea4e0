package io.llmgw.lambda.telemetry;

import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.lambda.runtime.Invocation;
import io.llmgw.lambda.runtime.LambdaContext;
import java.io.PrintStream;
import java.time.Clock;
import java.util.function.Function;
import org.apache.logging.log4j.ThreadContext;
import software.amazon.lambda.powertools.common.internal.LambdaHandlerProcessor;
import software.amazon.lambda.powertools.logging.internal.PowertoolsLoggedFields;

/**
 * Per-invocation telemetry of the streaming loop: the fields of Powertools' JSON log layout
 * (function, request id, cold start, service, X-Ray trace), Lambda's request id as correlation
 * id, the X-Ray trace header where the AWS SDK looks for it, and one EMF metrics line per request.
 *
 * <p>The fields are the ones {@code PowertoolsLogging.initializeLogging} sets, taken from the same
 * Powertools sources ({@link PowertoolsLoggedFields}, {@link LambdaHandlerProcessor}), but written
 * to Log4j's thread context directly: that class creates a logger when it loads, which would make
 * the first request wait for Log4j's start-up (see {@code StartupWarmup}). Not supported in
 * consequence: Powertools' log sampling ({@code POWERTOOLS_LOGGER_SAMPLE_RATE}); the level comes
 * from {@code POWERTOOLS_LOG_LEVEL} through log4j2.properties.
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
        ThreadContext.putAll(PowertoolsLoggedFields.setValuesFromLambdaContext(new LambdaContext(invocation, env)));
        ThreadContext.put(PowertoolsLoggedFields.FUNCTION_COLD_START.getName(), Boolean.toString(LambdaHandlerProcessor.isColdStart()));
        LambdaHandlerProcessor.coldStartDone();
        ThreadContext.put(PowertoolsLoggedFields.SERVICE.getName(), orDefault(env.apply("POWERTOOLS_SERVICE_NAME"), "llm-gateway"));
        ThreadContext.put(PowertoolsLoggedFields.CORRELATION_ID.getName(), invocation.requestId());
        String root = traceRoot(invocation.traceId());
        if (root != null) {
            ThreadContext.put(PowertoolsLoggedFields.FUNCTION_TRACE_ID.getName(), root);
        }
    }

    public void requestCompleted(RequestContext ctx) {
        out.println(metrics.line(ctx, lambdaRequestId));
        out.flush();
    }

    public void end() {
        ThreadContext.clearMap();
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
