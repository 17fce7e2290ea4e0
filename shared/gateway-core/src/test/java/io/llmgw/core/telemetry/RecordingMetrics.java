package io.llmgw.core.telemetry;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Metrics that keep what the gateway reports, for tests to assert on: finished requests, store failures, cache and store outcomes. */
public class RecordingMetrics implements Metrics {
    public final List<RequestContext> finished = new CopyOnWriteArrayList<>();
    /** The operations ({@code rate_limit}, {@code cache_read}, …) the state store failed. */
    public final List<String> storeFailures = new CopyOnWriteArrayList<>();
    /** Why responses were not kept in the Responses store. */
    public final List<String> notStored = new CopyOnWriteArrayList<>();
    public final AtomicInteger evictions = new AtomicInteger();

    @Override
    public void requestFinished(RequestContext ctx) {
        finished.add(ctx);
    }

    @Override
    public void stateStoreFailure(String operation) {
        storeFailures.add(operation);
    }

    @Override
    public void cacheEvicted() {
        evictions.incrementAndGet();
    }

    @Override
    public void responseNotStored(String reason) {
        notStored.add(reason);
    }

    /** The context of the request that finished last. */
    public RequestContext last() {
        return finished.get(finished.size() - 1);
    }
}
