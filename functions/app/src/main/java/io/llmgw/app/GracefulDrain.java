package io.llmgw.app;

import io.llmgw.core.Gateway;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The first step of shutdown (SIGTERM, or the context closing): the gateway starts draining —
 * {@code /health/ready} answers 503 and new model requests get a retryable 503 in their dialect —
 * and this waits until the streams in flight have finished, for at most the grace period. Only
 * then does the HTTP server ({@link GatewayServer}) close its listener. Doing the wait here, with
 * the listener still open, keeps readiness observable as "down" for the whole drain and gives
 * late clients an answer they can retry rather than a refused connection.
 *
 * <p>A stream still running when the grace period ends is cut when the server stops; the
 * client sees the stream end without its final event. {@link #start()} calls draining off again,
 * which matters where a snapshot (CRaC, Lambda SnapStart) stops and restarts lifecycle beans.
 * The gateway is read afresh on every poll: a secret refresh may have replaced it meanwhile.
 */
final class GracefulDrain implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(GracefulDrain.class);
    private static final long POLL_MILLIS = 50;

    private final Supplier<Gateway> gateway;
    private final Duration grace;
    private volatile boolean running;

    GracefulDrain(Supplier<Gateway> gateway, Duration grace) {
        this.gateway = gateway;
        this.grace = grace;
    }

    @Override
    public void start() {
        gateway.get().draining(false);
        running = true;
    }

    @Override
    public void stop() {
        gateway.get().draining(true);
        int inFlight = gateway.get().inFlightRequests();
        LOG.atInfo().setMessage("draining").addKeyValue("in_flight", inFlight).addKeyValue("grace_seconds", grace.toSeconds()).log();
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                Gateway current = gateway.get();
                current.draining(true);
                if (current.inFlightRequests() == 0) {
                    break;
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = gateway.get().inFlightRequests();
        if (left > 0) {
            LOG.atWarn().setMessage("grace period over; cutting the requests still in flight").addKeyValue("in_flight", left).log();
        } else {
            LOG.atInfo().setMessage("drained").log();
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before everything else, the HTTP server included (lower phases stop later). */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
