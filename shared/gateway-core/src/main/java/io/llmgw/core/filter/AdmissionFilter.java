package io.llmgw.core.filter;

import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.Headers;
import io.llmgw.core.web.Exchange;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Whether an authenticated request may take up the process now: not while it drains before
 * shutdown (a retryable 503, so the client's retry lands on another instance), not beyond
 * {@code MAX_CONCURRENT_REQUESTS} (a 429 at once, never a queue). It counts the requests in flight.
 */
public final class AdmissionFilter implements Filter.Check {
    private final BooleanSupplier draining;
    private final Semaphore slots;
    private final AtomicInteger inFlight = new AtomicInteger();

    /** @param maxConcurrent requests in flight at once; 0 for no limit */
    public AdmissionFilter(BooleanSupplier draining, int maxConcurrent) {
        this.draining = draining;
        this.slots = maxConcurrent > 0 ? new Semaphore(maxConcurrent) : null;
    }

    @Override
    public Exchange check(Exchange exchange) {
        if (exchange.credential() == null) {
            return exchange;  // probes and refusals: no work to admit
        }
        if (draining.getAsBoolean()) {
            // connection: close, so the client's retry opens a new connection the load balancer sends elsewhere.
            throw new GatewayError(ErrorKind.OVERLOADED, 503, "The gateway is shutting down; retry and another instance will answer.",
                    "shutting_down", null, Duration.ofSeconds(1), Headers.of("connection", "close")).exception();
        }
        if (slots != null && !slots.tryAcquire()) {
            throw new GatewayError(ErrorKind.RATE_LIMIT, 429, "The gateway is at its limit of concurrent requests; retry shortly.",
                    "concurrency_limit", null, Duration.ofSeconds(1), null).exception();
        }
        inFlight.incrementAndGet();
        exchange.out().atEnd(() -> {  // a stream is in flight until it ends, whichever thread relays it
            inFlight.decrementAndGet();
            if (slots != null) {
                slots.release();
            }
        });
        return exchange;
    }

    /** Requests being served right now (the in-flight gauge, and what a draining shutdown waits for). */
    public int inFlight() {
        return inFlight.get();
    }
}
