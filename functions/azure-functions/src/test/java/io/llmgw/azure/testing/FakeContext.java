package io.llmgw.azure.testing;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.TraceContext;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * A test double of the invocation's context: its id, a W3C trace context (the trace id is what
 * Application Insights calls the operation id) and a {@code java.util.logging} logger that keeps
 * what the function logged, as the worker's per-invocation logger passes it to the host.
 */
public final class FakeContext implements ExecutionContext {
    private final String invocationId = UUID.randomUUID().toString();
    private final String traceId = hex(16);
    private final String functionName;
    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    public FakeContext(String functionName) {
        this.functionName = functionName;
        this.logger = Logger.getAnonymousLogger();
        logger.setUseParentHandlers(false);
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
    }

    public String traceId() {
        return traceId;
    }

    public List<LogRecord> records() {
        return records;
    }

    @Override
    public Logger getLogger() {
        return logger;
    }

    @Override
    public String getInvocationId() {
        return invocationId;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public TraceContext getTraceContext() {
        String traceparent = "00-" + traceId + "-" + hex(8) + "-01";
        return new TraceContext() {
            @Override
            public String getTraceparent() {
                return traceparent;
            }

            @Override
            public String getTracestate() {
                return "";
            }

            @Override
            public Map<String, String> getAttributes() {
                return Map.of();
            }
        };
    }

    private static String hex(int bytes) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < bytes; i++) {
            out.append(String.format("%02x", ThreadLocalRandom.current().nextInt(256)));
        }
        return out.toString();
    }
}
