package io.llmgw.lambda.runtime;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The Lambda {@link Context} of one invocation, built from the {@code /next} headers and the
 * environment Lambda sets. Our loop replaces the official runtime client, so it builds the context
 * itself; Powertools logging reads the function and request fields from it.
 */
public final class LambdaContext implements Context {
    private final Invocation invocation;
    private final Function<String, String> env;

    public LambdaContext(Invocation invocation, Function<String, String> env) {
        this.invocation = invocation;
        this.env = env;
    }

    @Override
    public String getAwsRequestId() {
        return invocation.requestId();
    }

    @Override
    public String getLogGroupName() {
        return env.apply("AWS_LAMBDA_LOG_GROUP_NAME");
    }

    @Override
    public String getLogStreamName() {
        return env.apply("AWS_LAMBDA_LOG_STREAM_NAME");
    }

    @Override
    public String getFunctionName() {
        return env.apply("AWS_LAMBDA_FUNCTION_NAME");
    }

    @Override
    public String getFunctionVersion() {
        return env.apply("AWS_LAMBDA_FUNCTION_VERSION");
    }

    @Override
    public String getInvokedFunctionArn() {
        return invocation.functionArn();
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;  // mobile SDK identities never reach a function URL
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return invocation.deadlineMs() == 0 ? Integer.MAX_VALUE
                : (int) Math.max(0, Math.min(Integer.MAX_VALUE, invocation.deadlineMs() - System.currentTimeMillis()));
    }

    @Override
    public int getMemoryLimitInMB() {
        String memory = env.apply("AWS_LAMBDA_FUNCTION_MEMORY_SIZE");
        try {
            return memory == null ? 0 : Integer.parseInt(memory.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public LambdaLogger getLogger() {
        return StdoutLogger.INSTANCE;
    }

    @Override
    public String getTenantId() {
        return invocation.tenantId();
    }

    @Override
    public String getXrayTraceId() {
        return invocation.traceId();
    }

    private enum StdoutLogger implements LambdaLogger {
        INSTANCE;

        @Override
        public void log(String message) {
            System.out.println(message);
        }

        @Override
        public void log(byte[] message) {
            System.out.println(new String(message, StandardCharsets.UTF_8));
        }
    }
}
