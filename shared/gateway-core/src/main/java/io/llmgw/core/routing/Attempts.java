package io.llmgw.core.routing;

import io.llmgw.core.spi.Deployment;

import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.error.GatewayException;
import io.llmgw.core.resilience.DeploymentHealth;
import io.llmgw.core.resilience.HealthRegistry;
import io.llmgw.core.telemetry.Metrics;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.relay.Completion;
import io.llmgw.core.web.ClientGoneException;
import io.llmgw.core.web.ClientResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one attempt loop: tries a route's deployments in the planned order under ONE deadline for
 * the whole request. An attempt counts as won when the upstream's first event (or whole body)
 * arrived — the commit point; nothing after that is retried. Before it, retryable failures move
 * on to the next deployment at once, and back to one already tried only after an exponential,
 * jittered backoff (or the upstream's retry-after, if it fits in the deadline). Open circuits
 * are skipped; invalid requests are answered at once.
 */
public final class Attempts {
    /** Names the model the gateway asked the upstream for (set on every response of a routed request). */
    public static final String UPSTREAM_MODEL_HEADER = "x-gateway-upstream-model";

    /**
     * One try at one deployment, whose outcome goes to {@code result}: a value once the attempt is won
     * (the commit point), or the {@link GatewayException} that may send the loop elsewhere.
     * {@code condenseToTokens} asks to drop oldest turns to fit, or is null.
     */
    @FunctionalInterface
    public interface Attempt<T> {
        void run(Deployment deployment, Integer condenseToTokens, Completion<T> result);
    }

    /** What the request tells the planner: its estimated size and requested output. */
    public record Estimate(int tokens, Integer outputTokens) {}

    /** The winning attempt. Close it when the call is over, to free its concurrency slot ({@code release}). */
    public record Won<T>(T value, Deployment deployment, Runnable release) implements AutoCloseable {
        @Override
        public void close() {
            release.run();
        }
    }

    /** How the loop waits before a repeat attempt. */
    @FunctionalInterface
    public interface Pause {
        /**
         * Waits {@code wait}, then runs {@code then}: here, or later as a part of the request
         * ({@link ClientResponse#resumed}). False when the wait was cut short (the client went away).
         */
        boolean pause(Duration wait, ClientResponse out, Runnable then);

        /** Sleeps on the request's own thread: for the transport that reads there too. */
        Pause SLEEP = (wait, out, then) -> {
            try {
                Thread.sleep(wait.toMillis(), wait.toNanosPart() % 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            then.run();
            return true;
        };

        /**
         * Lets the request's thread go and goes on from a timer, as a part of the request: for a transport
         * whose answers arrive on an event loop, which must never sleep.
         */
        Pause TIMER = (wait, out, then) -> {
            out.exchangeStarted();  // the request waits for the timer as for an exchange
            io.llmgw.core.http.CoarseTimer.shared().after(wait.toNanos(), () -> out.resumed(() -> {
                out.exchangeOver();
                then.run();
            }));
            return true;
        };
    }

    private final HealthRegistry health;
    private final GatewayConfig.Routing policy;
    private final DeploymentPlanner planner;
    private final Metrics metrics;
    private final Pause pause;

    public Attempts(HealthRegistry health, GatewayConfig.Routing policy, Metrics metrics) {
        this(health, policy, metrics, Pause.SLEEP);
    }

    public Attempts(HealthRegistry health, GatewayConfig.Routing policy, Metrics metrics, Pause pause) {
        this.health = health;
        this.policy = policy;
        this.planner = new DeploymentPlanner(health);
        this.metrics = metrics;
        this.pause = pause;
    }

    /**
     * Tries the route's deployments until one wins, handing {@code won} the winner (or the failure
     * the client gets). An attempt's outcome may arrive on another thread than the one that started it;
     * the loop goes on there.
     */
    public <T> void run(Route route, Estimate estimate, RequestContext ctx, ClientResponse out, Attempt<T> attempt,
                        Completion<Won<T>> won) {
        Instant deadline = Instant.now().plus(policy.deadline());
        if (ctx.deadline() == null || deadline.isBefore(ctx.deadline())) {
            ctx.deadline(deadline);
        }
        ctx.route(route.configuredName());
        List<Deployment> plan = planner.order(route, estimate.tokens(), estimate.outputTokens());
        Integer condenseTo = null;
        if (plan.isEmpty()) {
            Deployment largest = largestWindow(route.deployments());
            if (!route.condense() || largest == null) {
                won.failed(tooLong(route, estimate.tokens(), largest).exception());
                return;
            }
            plan = List.of(largest);
            condenseTo = largest.contextWindow();
        }
        new AttemptLoop<>(this, route, estimate, ctx, out, plan, condenseTo, attempt, won).next();
    }

    /** A try at {@code deployment} if its circuit and its provider's slots allow one now; false when skipped. */
    <T> boolean tryAt(AttemptLoop<T> loop, Deployment deployment, Integer condenseTo) {
        DeploymentHealth h = health.deployment(deployment.label());
        if (!h.tryAcquire()) {
            loop.circuitOpen(h.openRemaining());
            return false;
        }
        String provider = deployment.provider().name();
        if (!health.tryAcquireSlot(provider)) {
            h.neutral();
            loop.slotsFull();
            return false;
        }
        loop.started(deployment);
        h.started();
        announce(deployment, loop.ctx);
        long start = System.nanoTime();
        Runnable release = () -> {
            h.finished();
            health.releaseSlot(provider);
        };
        AttemptResult<T> result = new AttemptResult<>() {
            @Override
            void won(T value) {
                h.success(System.nanoTime() - start);
                metrics.attempt(provider, deployment.label(), "success");
                loop.won(new Won<>(value, deployment, release));
            }

            @Override
            void lost(RuntimeException error) {
                if (!(error instanceof GatewayException e)) {
                    release.run();
                    loop.failed(error);  // a bug, not the deployment's failure: the request's error handling has it
                    return;
                }
                if (loop.ctx.clientGone()) {
                    h.neutral();  // cancelled because the client left: says nothing about the deployment
                    release.run();
                    loop.failed(new ClientGoneException(e));
                    return;
                }
                GatewayError failure = e.error();
                metrics.attempt(provider, deployment.label(), failure.kind().name().toLowerCase(java.util.Locale.ROOT));
                if (judgesDeployment(failure.kind())) {
                    h.failure(System.nanoTime() - start, e);
                } else {
                    h.neutral();
                }
                release.run();  // before the next attempt, which may want this provider's slot
                loop.lost(deployment, e);
            }
        };
        try {
            loop.attempt.run(deployment, condenseTo, result);
        } catch (RuntimeException e) {
            if (result.settled()) {
                throw e;  // thrown by what came after the attempt's outcome (the relay, the answer): not the attempt's failure
            }
            result.failed(e);
        }
        return true;
    }

    /**
     * The outcome of one attempt, settled once; what runs after it (the winner's relay, the next
     * attempt) runs inside {@code done} or {@code failed}, so an exception coming back up through the
     * attempt is told apart from the attempt's own failure by {@link #settled}.
     */
    abstract static class AttemptResult<T> implements Completion<T> {
        private boolean settled;

        @Override
        public final void done(T value) {
            settle();
            won(value);
        }

        @Override
        public final void failed(RuntimeException error) {
            settle();
            lost(error);
        }

        final boolean settled() {
            return settled;
        }

        private void settle() {
            if (settled) {
                throw new IllegalStateException("an attempt's outcome arrived twice");
            }
            settled = true;
        }

        abstract void won(T value);

        abstract void lost(RuntimeException error);
    }

    GatewayConfig.Routing policy() {
        return policy;
    }

    /**
     * How long to wait before a repeat attempt; null when the wait would pass the deadline, or when the
     * upstream asked for a longer pause than the gateway's longest backoff — then the client gets the
     * error with its retry-after instead of a silent stall.
     */
    Duration backOff(int repeat, GatewayError last, Instant deadline) {
        Duration wait;
        if (last != null && last.retryAfter() != null) {
            wait = last.retryAfter();
            if (wait.compareTo(policy.backoffMax()) > 0) {
                return null;
            }
        } else {
            long base = policy.backoffInitial().toMillis() << Math.min(Math.max(repeat - 1, 0), 16);
            long capped = Math.min(base, policy.backoffMax().toMillis());
            wait = Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
        }
        return Instant.now().plus(wait).isAfter(deadline) ? null : wait;
    }

    Pause pause() {
        return pause;
    }

    /** Failures that say the deployment is unwell (as opposed to a bad request or a client's own key). */
    private static boolean judgesDeployment(ErrorKind kind) {
        return switch (kind) {
            case RATE_LIMIT, QUOTA, CREDENTIAL, UPSTREAM_ERROR, CONNECTION, OVERLOADED, TIMEOUT, NOT_FOUND -> true;
            default -> false;
        };
    }

    static boolean hasLargerWindow(List<Deployment> plan, int floor) {
        return plan.stream().anyMatch(d -> d.contextWindow() != null && d.contextWindow() > floor);
    }

    private static Deployment largestWindow(List<Deployment> deployments) {
        Deployment largest = null;
        for (Deployment d : deployments) {
            if (d.contextWindow() != null && (largest == null || d.contextWindow() > largest.contextWindow())) {
                largest = d;
            }
        }
        return largest;
    }

    private static GatewayError tooLong(Route route, int tokens, Deployment largest) {
        return GatewayError.of(ErrorKind.CONTEXT_LENGTH, "The request (about " + tokens + " tokens) is longer than the context window of "
                + "every deployment of '" + route.requestedModel() + "'" + (largest == null ? "." : " (largest: " + largest.contextWindow()
                + " tokens)."), "context_length_exceeded");
    }

    static GatewayError exhausted(Route route, GatewayError last, int made, Duration shortestOpen, boolean limited,
                                          Instant deadline) {
        if (made == 0 && shortestOpen != null) {
            Duration retry = shortestOpen.isZero() ? Duration.ofSeconds(1) : shortestOpen;
            return new GatewayError(ErrorKind.OVERLOADED, 503, "Every deployment of '" + route.requestedModel()
                    + "' is failing and temporarily out of rotation; retry later.", "all_deployments_unavailable", null, retry, null);
        }
        if (made == 0 && limited) {
            return new GatewayError(ErrorKind.RATE_LIMIT, 429, "Too many requests in flight to the upstreams of '" + route.requestedModel()
                    + "'; retry shortly.", "concurrency_limit", null, Duration.ofSeconds(1), null);
        }
        if (last != null) {
            return last;
        }
        return GatewayError.of(ErrorKind.TIMEOUT, "The request deadline passed before an upstream could be tried.", "deadline_exceeded");
    }

    /**
     * Records this deployment as the one being tried: for the request log, and as the
     * {@value #UPSTREAM_MODEL_HEADER} response header. A model name that is no plain header token
     * (it may be the client's own string, behind a glob route) is left out of the header.
     */
    private static void announce(Deployment deployment, RequestContext ctx) {
        ctx.upstream(deployment.label());
        if (headerSafe(deployment.upstreamModel())) {
            ctx.responseHeaders().set(UPSTREAM_MODEL_HEADER, deployment.upstreamModel());
        } else {
            ctx.responseHeaders().remove(UPSTREAM_MODEL_HEADER);
        }
    }

    /** 1 to 256 visible ASCII characters: a model name a client may read from a header, whatever the client asked for. */
    private static boolean headerSafe(String model) {
        if (model.isEmpty() || model.length() > 256) {
            return false;
        }
        for (int i = 0; i < model.length(); i++) {
            char ch = model.charAt(i);
            if (ch < 0x21 || ch > 0x7e) {
                return false;
            }
        }
        return true;
    }

}
