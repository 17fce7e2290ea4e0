package io.llmgw.core.telemetry;

/**
 * Things a platform may want to react to. Lambda, for instance, re-reads its secret when a
 * credential looks stale. Called on the request's thread; keep implementations quick.
 */
public interface GatewayEvents {
    GatewayEvents NONE = new GatewayEvents() {};

    /** A client presented a key that is not a gateway key, where one was required. */
    default void unknownGatewayKey() {}

    /** An upstream refused the gateway's own configured credential. */
    default void upstreamCredentialRejected(String provider) {}

    /**
     * A request is over and its log line written; {@code ctx} holds its outcome (status, timings,
     * token usage). Platforms turn it into metrics (CloudWatch EMF on Lambda).
     */
    default void requestCompleted(RequestContext ctx) {}
}
