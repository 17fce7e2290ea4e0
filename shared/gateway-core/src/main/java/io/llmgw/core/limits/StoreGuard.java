package io.llmgw.core.limits;

import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.state.StateStoreException;
import io.llmgw.core.telemetry.Metrics;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when the state store cannot be reached: by default the request goes ahead
 * unlimited (fail open) and {@code gateway_state_store_errors_total} counts it; with
 * {@code limits.fail_closed: true} it is refused with a retryable 503. Either way a warning is
 * logged at most every ten seconds, so an outage does not flood the log.
 */
final class StoreGuard {
    /** Created on first use (a store failure), not when the gateway is built. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(StoreGuard.class);
    }

    private static final long WARN_EVERY_NANOS = Duration.ofSeconds(10).toNanos();

    private final boolean failClosed;
    private final Metrics metrics;
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    StoreGuard(boolean failClosed, Metrics metrics) {
        this.failClosed = failClosed;
        this.metrics = metrics;
    }

    /** Runs a store operation before the call; on failure, {@code whenOpen} is the fail-open answer. */
    <T> T before(String operation, Supplier<T> action, T whenOpen) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            failed(operation, storeFailure(e));
            if (failClosed) {
                throw new GatewayError(ErrorKind.OVERLOADED, 503, "The gateway cannot check this request's limits right now; retry shortly.",
                        "limits_unavailable", null, Duration.ofSeconds(2), null).exception();
            }
            return whenOpen;
        }
    }

    /** Runs a store operation after the call (settling); a failure there can only be counted. */
    void after(String operation, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            failed(operation, storeFailure(e));
        }
    }

    /**
     * Store clients fail in their own exception types (Bucket4j's backends pass the driver's through),
     * so anything but our own refusals counts as the store failing.
     */
    private static StateStoreException storeFailure(RuntimeException e) {
        if (e instanceof io.llmgw.core.error.GatewayException refusal) {
            throw refusal;
        }
        return e instanceof StateStoreException known ? known : new StateStoreException(e.getClass().getSimpleName(), e);
    }

    private void failed(String operation, StateStoreException e) {
        metrics.stateStoreFailure(operation);
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
            Log.LOG.warn("state store unavailable during {} ({}); {}", operation, e.getMessage(),
                    failClosed ? "refusing requests (limits.fail_closed)" : "admitting requests without limits (fail open)");
        }
    }
}
