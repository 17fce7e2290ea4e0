package io.llmgw.core.telemetry;

/**
 * The metrics port: the core reports what happened, a platform records it (Micrometer and
 * Prometheus in the app, CloudWatch EMF on Lambda). Gauges (circuit states, in-flight calls) are
 * read by the platform from {@code Gateway.health()} when it scrapes.
 */
public interface Metrics {
    Metrics NONE = new Metrics() {};

    /** A request is over; the context holds dialect, model, status, timings, usage and error class. */
    default void requestFinished(RequestContext ctx) {}

    /** One attempt at one deployment ended: {@code success}, or the failure class in lower case. */
    default void attempt(String provider, String deployment, String outcome) {}

    /** The state store failed during {@code operation} (rate_limit, budget, ...); limits failed open or closed. */
    default void stateStoreFailure(String operation) {}

    /**
     * The response cache's in-memory store dropped an entry to stay within its size bound. Per-request
     * cache facts (hit, miss, bypass, bytes stored) are in the request context instead.
     */
    default void cacheEvicted() {}
    /** A finished response was not stored for {@code previous_response_id}: {@code too_large} or {@code store_failed}. */
    default void responseNotStored(String reason) {}

    /** The text exposition for {@code GET /metrics}, or null when this platform has none. */
    default byte[] exposition() {
        return null;
    }
}
