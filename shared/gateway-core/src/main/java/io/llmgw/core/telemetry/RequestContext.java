package io.llmgw.core.telemetry;

import io.llmgw.core.model.Usage;

/**
 * What one request did, filled in as it runs and written as one log line at the end. Also
 * tracks the time spent waiting on the upstream so the gateway's own overhead can be reported.
 */
public final class RequestContext {
    private final String requestId;
    private final long startNanos;
    private java.time.Instant deadline;
    private final io.llmgw.core.http.Headers responseHeaders = new io.llmgw.core.http.Headers();
    private String dialect = "none";
    private String model;
    private String upstream;
    private String route;
    private volatile boolean clientGone;
    private volatile Runnable upstreamCancel;
    private String upstreamModel;
    private String clientKey;
    private int status;
    private long firstByteNanos;
    private long upstreamWaitNanos;
    private long upstreamSentNanos;
    private Usage usage;
    private String errorKind;
    private io.llmgw.core.auth.Identity identity;
    private Double costUsd;
    private String meteredKey = "none";
    private String meteredTeam = "none";
    private java.util.function.Consumer<Usage> usageListener;
    private String cache;
    private long cacheStoredBytes;
    private String cacheSkipped;

    public RequestContext(String requestId, long startNanos) {
        this.requestId = requestId;
        this.startNanos = startNanos;
    }

    /** Headers the response must carry, decided while serving it (e.g. that the conversation was condensed). */
    public io.llmgw.core.http.Headers responseHeaders() {
        return responseHeaders;
    }

    /** When upstream calls must be over (a platform's invocation deadline), or null. */
    public java.time.Instant deadline() {
        return deadline;
    }

    public void deadline(java.time.Instant value) {
        deadline = value;
    }

    public String requestId() {
        return requestId;
    }

    public long startNanos() {
        return startNanos;
    }

    public String dialect() {
        return dialect;
    }

    public void dialect(String value) {
        dialect = value;
    }

    public String model() {
        return model;
    }

    public void model(String value) {
        model = value;
    }

    /** Whether the platform reported that the client went away; no further upstream attempt is made. */
    public boolean clientGone() {
        return clientGone;
    }

    /** The client went away: no further attempt, and the upstream exchange in flight is aborted. */
    public void clientGone(boolean value) {
        clientGone = value;
        Runnable cancel = upstreamCancel;
        if (value && cancel != null) {
            cancel.run();
        }
    }

    /**
     * What aborts the upstream exchange now in flight (closing its connection, so a read blocked on
     * it fails at once on any kind of thread); run at once if the client has already gone. Each
     * attempt replaces the one before.
     */
    public void upstreamCancel(Runnable cancel) {
        upstreamCancel = cancel;
        if (clientGone) {
            cancel.run();
        }
    }

    /**
     * The configuration entry that matched the requested model (an exact name or a glob), or null
     * before routing; unlike {@link #model()} it never holds a client-chosen string, so metrics use it.
     */
    public String route() {
        return route;
    }

    public void route(String value) {
        route = value;
    }

    public String upstream() {
        return upstream;
    }

    public void upstream(String value) {
        upstream = value;
    }

    /** The model the upstream said answered (e.g. a dated version of the one asked for), or null when not read. */
    public String upstreamModel() {
        return upstreamModel;
    }

    public void upstreamModel(String reported) {
        upstreamModel = reported;
    }

    public String clientKey() {
        return clientKey;
    }

    public void clientKey(String masked) {
        clientKey = masked;
    }

    public int status() {
        return status;
    }

    public void status(int value) {
        status = value;
    }

    public Usage usage() {
        return usage;
    }

    /** Records an upstream's usage report (the last one wins), unless it reported nothing: the one place usage is kept. */
    public void usage(Usage reported) {
        if (reported != null && (reported.inputTokens() != null || reported.outputTokens() != null)) {
            usage = reported;
            if (usageListener != null) {
                usageListener.accept(reported);
            }
        }
    }

    /**
     * Called with each usage report as it arrives; before the response's headers go out when the
     * answer is not streamed, so a listener can still set one (the cost).
     */
    public void onUsage(java.util.function.Consumer<Usage> listener) {
        usageListener = listener;
    }

    /** Who is calling (never the key), or null before authentication. */
    public io.llmgw.core.auth.Identity identity() {
        return identity;
    }

    public void identity(io.llmgw.core.auth.Identity value) {
        identity = value;
    }

    /** The key and team labels metrics count this request under: configured names only, never a caller's string. */
    public void meteredAs(String key, String team) {
        meteredKey = key;
        meteredTeam = team;
    }

    public String meteredKey() {
        return meteredKey;
    }

    public String meteredTeam() {
        return meteredTeam;
    }

    /** The request's cost in US dollars from the price table, or null when not priced. */
    public Double costUsd() {
        return costUsd;
    }

    public void costUsd(Double value) {
        costUsd = value;
    }

    /** What the response cache did: {@code hit}, {@code miss} or {@code bypass}; null when no cache is configured. */
    public String cache() {
        return cache;
    }

    public void cache(String outcome) {
        cache = outcome;
    }

    /** Whether the answer came from the response cache: no upstream was called, nothing is owed for it. */
    public boolean servedFromCache() {
        return "hit".equals(cache);
    }

    /** Bytes this request's answer took in the response cache, or 0 when it was not stored. */
    public long cacheStoredBytes() {
        return cacheStoredBytes;
    }

    public void cacheStored(long bytes) {
        cacheStoredBytes = bytes;
    }

    /** Why a complete answer was not stored ({@code too_large}, {@code store_error}), or null. */
    public String cacheSkipped() {
        return cacheSkipped;
    }

    public void cacheSkipped(String reason) {
        cacheSkipped = reason;
    }

    public String errorKind() {
        return errorKind;
    }

    public void errorKind(String value) {
        errorKind = value;
    }

    /** Marks the moment the upstream request left; waiting starts. */
    public void upstreamSent() {
        upstreamSentNanos = System.nanoTime();
    }

    /** Marks the moment the awaited upstream data arrived; waiting ends. */
    public void upstreamAnswered() {
        if (upstreamSentNanos != 0) {
            upstreamWaitNanos += System.nanoTime() - upstreamSentNanos;
            upstreamSentNanos = 0;
        }
    }

    public void firstByteSent() {
        if (firstByteNanos == 0) {
            firstByteNanos = System.nanoTime();
        }
    }

    /** Milliseconds from the start of the request to the first byte to the client, or -1. */
    public double timeToFirstByteMillis() {
        return firstByteNanos == 0 ? -1 : (firstByteNanos - startNanos) / 1e6;
    }

    /** Time inside the gateway so far, excluding time spent waiting on the upstream. */
    public double overheadMillis() {
        long waiting = upstreamWaitNanos + (upstreamSentNanos == 0 ? 0 : System.nanoTime() - upstreamSentNanos);
        return Math.max(0, System.nanoTime() - startNanos - waiting) / 1e6;
    }

    public double durationMillis() {
        return (System.nanoTime() - startNanos) / 1e6;
    }
}
