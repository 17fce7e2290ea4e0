package io.llmgw.core.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.llmgw.core.config.GatewayConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the gateway knows about one deployment: its circuit breaker (resilience4j, driven through
 * the low-level acquire/record API so a streamed call is judged at its first event), consecutive
 * failures, a latency average and the calls in flight.
 */
public final class DeploymentHealth {
    /** Weight of the newest sample in the time-to-first-token average. */
    private static final double EWMA_ALPHA = 0.3;

    private final String label;
    private final CircuitBreakerConfig config;
    /**
     * Created at the deployment's first failure. A deployment that never fails never pays for a
     * breaker, and — what matters on Lambda — the breaker's own logger does not start the logging
     * back end on the first request of a cold start. The failure-rate window therefore holds the
     * calls since the first failure, which differs from "the last N calls" only before N of them.
     */
    private volatile CircuitBreaker breaker;
    private final Clock clock;
    private final Duration openFor;
    private final int consecutiveThreshold;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile double latencyEwmaMillis = Double.NaN;
    private volatile Instant openedAt;

    DeploymentHealth(String label, GatewayConfig.Breaker settings, Clock clock) {
        this.label = label;
        this.clock = clock;
        this.openFor = settings.openFor();
        this.consecutiveThreshold = settings.consecutiveFailures();
        this.config = CircuitBreakerConfig.custom()
                .slidingWindow(settings.window(), settings.window(), CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(settings.failureRatePercent())
                .waitDurationInOpenState(settings.openFor())
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                .recordException(e -> true)
                .clock(clock)
                .build();
    }

    private CircuitBreaker breaker() {
        CircuitBreaker existing = breaker;
        if (existing != null) {
            return existing;
        }
        synchronized (this) {
            if (breaker == null) {
                CircuitBreaker created = CircuitBreaker.of(label, config);
                created.getEventPublisher().onStateTransition(event -> {
                    if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                        openedAt = clock.instant();
                    }
                    if (event.getStateTransition().getToState() == CircuitBreaker.State.CLOSED) {
                        consecutiveFailures.set(0);
                    }
                });
                breaker = created;
            }
            return breaker;
        }
    }

    public String label() {
        return label;
    }

    /** Whether a call may go to this deployment now (false while its circuit is open). */
    public boolean tryAcquire() {
        CircuitBreaker current = breaker;
        return current == null || current.tryAcquirePermission();
    }

    public void started() {
        inFlight.incrementAndGet();
    }

    public void finished() {
        inFlight.decrementAndGet();
    }

    /** The deployment answered (first event, or whole body) after {@code nanos}. */
    public void success(long nanos) {
        CircuitBreaker current = breaker;
        if (current != null) {
            current.onSuccess(nanos, TimeUnit.NANOSECONDS);
        }
        consecutiveFailures.set(0);
        double millis = nanos / 1e6;
        double previous = latencyEwmaMillis;
        latencyEwmaMillis = Double.isNaN(previous) ? millis : EWMA_ALPHA * millis + (1 - EWMA_ALPHA) * previous;
    }

    /** The deployment failed in a way that says something about its health. */
    public void failure(long nanos, Throwable cause) {
        CircuitBreaker current = breaker();
        current.onError(nanos, TimeUnit.NANOSECONDS, cause);
        if (consecutiveFailures.incrementAndGet() >= consecutiveThreshold && current.getState() == CircuitBreaker.State.CLOSED) {
            current.transitionToOpenState();
        }
    }

    /** The call ended in a way that says nothing about the deployment (the request itself was bad). */
    public void neutral() {
        CircuitBreaker current = breaker;
        if (current != null) {
            current.releasePermission();
        }
    }

    public CircuitBreaker.State state() {
        CircuitBreaker current = breaker;
        return current == null ? CircuitBreaker.State.CLOSED : current.getState();
    }

    /** Until when an open circuit stays open; null when it is not open. */
    public Duration openRemaining() {
        Instant opened = openedAt;
        if (state() != CircuitBreaker.State.OPEN || opened == null) {
            return null;
        }
        Duration left = Duration.between(clock.instant(), opened.plus(openFor));
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** Failure rate over the breaker's window in percent, or -1 before enough calls. */
    public float failureRate() {
        CircuitBreaker current = breaker;
        return current == null ? -1 : current.getMetrics().getFailureRate();
    }

    /** Average time to first token in milliseconds, or NaN before the first success. */
    public double latencyEwmaMillis() {
        return latencyEwmaMillis;
    }

    public int inFlight() {
        return inFlight.get();
    }

    public int consecutiveFailures() {
        return consecutiveFailures.get();
    }
}
