package io.llmgw.lambda.runtime;

import java.time.Instant;

/**
 * One event from {@code GET /runtime/invocation/next}: the headers Lambda sends with it and the
 * event bytes.
 *
 * @param deadlineMs  {@code Lambda-Runtime-Deadline-Ms}: when Lambda cuts the invocation off (Unix ms), or 0
 * @param traceId     {@code Lambda-Runtime-Trace-Id}, the X-Ray trace header, or null
 * @param tenantId    {@code Lambda-Runtime-Aws-Tenant-Id} (tenant-isolation mode), or null
 */
public record Invocation(String requestId, long deadlineMs, String functionArn, String traceId, String clientContext,
                         String cognitoIdentity, String tenantId, byte[] event) {

    public Instant deadline() {
        return deadlineMs > 0 ? Instant.ofEpochMilli(deadlineMs) : null;
    }

    static Invocation from(HttpWire.Response response) {
        String deadline = response.header("lambda-runtime-deadline-ms");
        long deadlineMs = 0;
        if (deadline != null) {
            try {
                deadlineMs = Long.parseLong(deadline.trim());
            } catch (NumberFormatException e) {
                deadlineMs = 0;
            }
        }
        return new Invocation(response.header("lambda-runtime-aws-request-id"), deadlineMs,
                response.header("lambda-runtime-invoked-function-arn"), response.header("lambda-runtime-trace-id"),
                response.header("lambda-runtime-client-context"), response.header("lambda-runtime-cognito-identity"),
                response.header("lambda-runtime-aws-tenant-id"), response.body());
    }
}
