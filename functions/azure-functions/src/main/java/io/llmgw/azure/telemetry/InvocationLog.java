package io.llmgw.azure.telemetry;

import com.microsoft.azure.functions.ExecutionContext;
import java.util.logging.Logger;
import org.slf4j.MDC;

/**
 * The invocation a thread is serving, for {@link InvocationLogAppender}: log lines written while
 * it runs go to the invocation's own logger, which the Functions host correlates with the request
 * in Application Insights (its {@code operation_Id}); the MDC adds the same ids to the JSON line.
 */
public final class InvocationLog implements AutoCloseable {
    private static final ThreadLocal<ExecutionContext> CURRENT = new ThreadLocal<>();
    static final String TRACE_ID = "trace.id";
    static final String INVOCATION_ID = "faas.execution";

    private InvocationLog() {}

    /** Binds {@code context} to this thread until {@link #close}. */
    public static InvocationLog bind(ExecutionContext context, String operationId) {
        CURRENT.set(context);
        MDC.put(TRACE_ID, operationId);
        MDC.put(INVOCATION_ID, context.getInvocationId());
        return new InvocationLog();
    }

    /** The logger of the invocation this thread serves, or null outside one. */
    static Logger logger() {
        ExecutionContext context = CURRENT.get();
        return context == null ? null : context.getLogger();
    }

    @Override
    public void close() {
        CURRENT.remove();
        MDC.remove(TRACE_ID);
        MDC.remove(INVOCATION_ID);
    }
}
