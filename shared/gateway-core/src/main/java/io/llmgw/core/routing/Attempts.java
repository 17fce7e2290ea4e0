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
import io.llmgw.core.web.ClientGoneException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
    private static final java.util.regex.Pattern HEADER_SAFE = java.util.regex.Pattern.compile("[\\x21-\\x7e]{1,256}");

    /** One try at one deployment; {@code condenseToTokens} asks to drop oldest turns to fit, or is null. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run(Deployment deployment, Integer condenseToTokens);
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

    /** Sleeping is a seam so backoff can be observed in tests. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final HealthRegistry health;
    private final GatewayConfig.Routing policy;
    private final DeploymentPlanner planner;
    private final Metrics metrics;
    private final Sleeper sleeper;

    public Attempts(HealthRegistry health, GatewayConfig.Routing policy, Metrics metrics) {
        this(health, policy, metrics, d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000));
    }

    public Attempts(HealthRegistry health, GatewayConfig.Routing policy, Metrics metrics, Sleeper sleeper) {
        this.health = health;
        this.policy = policy;
        this.planner = new DeploymentPlanner(health);
        this.metrics = metrics;
        this.sleeper = sleeper;
    }

    public <T> Won<T> run(Route route, Estimate estimate, RequestContext ctx, Attempt<T> attempt) {
        Instant deadline = Instant.now().plus(policy.deadline());
        if (ctx.deadline() == null || deadline.isBefore(ctx.deadline())) {
            ctx.deadline(deadline);
        }
        deadline = ctx.deadline();
        ctx.route(route.configuredName());
        List<Deployment> plan = planner.order(route, estimate.tokens(), estimate.outputTokens());
        Integer condenseTo = null;
        if (plan.isEmpty()) {
            Deployment largest = largestWindow(route.deployments());
            if (!route.condense() || largest == null) {
                throw tooLong(route, estimate.tokens(), largest).exception();
            }
            plan = List.of(largest);
            condenseTo = largest.contextWindow();
        }
        int budget = Math.max(plan.size(), 1 + policy.retries());
        Set<Deployment> tried = new HashSet<>();
        Set<Deployment> noRepeat = new HashSet<>();
        GatewayError last = null;
        Duration shortestOpen = null;
        boolean limited = false;
        Integer windowFloor = null;
        int made = 0;
        for (int i = 0; i < budget + plan.size(); i++) {
            if (ctx.clientGone()) {
                throw new ClientGoneException(new java.io.IOException("the client went away"));
            }
            if (made >= budget || !Instant.now().isBefore(deadline)) {
                break;
            }
            Deployment d = plan.get(i % plan.size());
            if (noRepeat.contains(d) || (windowFloor != null && (d.contextWindow() == null || d.contextWindow() <= windowFloor))) {
                continue;
            }
            if (tried.contains(d) && !backOff(made - plan.size() + 1, last, deadline)) {
                break;
            }
            DeploymentHealth h = health.deployment(d.label());
            if (!h.tryAcquire()) {
                Duration open = h.openRemaining();
                shortestOpen = shortestOpen == null || (open != null && open.compareTo(shortestOpen) < 0) ? open : shortestOpen;
                continue;
            }
            String provider = d.provider().name();
            if (!health.tryAcquireSlot(provider)) {
                h.neutral();
                limited = true;
                continue;
            }
            made++;
            tried.add(d);
            h.started();
            announce(d, ctx);
            long start = System.nanoTime();
            boolean won = false;
            try {
                T value = attempt.run(d, condenseTo);
                h.success(System.nanoTime() - start);
                metrics.attempt(provider, d.label(), "success");
                won = true;
                return new Won<>(value, d, () -> {
                    h.finished();
                    health.releaseSlot(provider);
                });
            } catch (GatewayException e) {
                if (ctx.clientGone()) {
                    h.neutral();  // cancelled because the client left: says nothing about the deployment
                    throw new ClientGoneException(e);
                }
                GatewayError error = e.error();
                metrics.attempt(provider, d.label(), error.kind().name().toLowerCase(java.util.Locale.ROOT));
                if (judgesDeployment(error.kind())) {
                    h.failure(System.nanoTime() - start, e);
                } else {
                    h.neutral();
                }
                last = error;
                if (error.kind() == ErrorKind.CONTEXT_LENGTH) {
                    windowFloor = d.contextWindow() != null ? d.contextWindow() : estimate.tokens();
                    noRepeat.add(d);
                    if (!hasLargerWindow(plan, windowFloor)) {
                        if (!route.condense() || condenseTo != null) {
                            throw e;
                        }
                        // Nothing larger to move to: try once more here with the oldest turns dropped.
                        condenseTo = windowFloor * 3 / 4;
                        windowFloor = null;
                        noRepeat.remove(d);
                        tried.remove(d);
                    }
                    continue;
                }
                boolean missingHere = error.kind() == ErrorKind.NOT_FOUND;  // e.g. an Azure deployment that was removed
                if (!error.kind().retryable() && !missingHere) {
                    throw e;
                }
                if (missingHere || error.kind() == ErrorKind.CREDENTIAL || error.kind() == ErrorKind.QUOTA) {
                    noRepeat.add(d);  // another deployment may have it, or a working key or quota; this one will not
                }
            } finally {
                if (!won) {
                    h.finished();
                    health.releaseSlot(provider);
                }
            }
        }
        throw exhausted(route, last, made, shortestOpen, limited, deadline).exception();
    }

    /**
     * Waits before a repeat attempt; false when the wait would pass the deadline, or when the
     * upstream asked for a longer pause than the gateway's longest backoff — then the client gets
     * the error with its retry-after instead of a silent stall.
     */
    private boolean backOff(int repeat, GatewayError last, Instant deadline) {
        Duration wait;
        if (last != null && last.retryAfter() != null) {
            wait = last.retryAfter();
            if (wait.compareTo(policy.backoffMax()) > 0) {
                return false;
            }
        } else {
            long base = policy.backoffInitial().toMillis() << Math.min(Math.max(repeat - 1, 0), 16);
            long capped = Math.min(base, policy.backoffMax().toMillis());
            wait = Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
        }
        if (Instant.now().plus(wait).isAfter(deadline)) {
            return false;
        }
        try {
            sleeper.sleep(wait);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Failures that say the deployment is unwell (as opposed to a bad request or a client's own key). */
    private static boolean judgesDeployment(ErrorKind kind) {
        return switch (kind) {
            case RATE_LIMIT, QUOTA, CREDENTIAL, UPSTREAM_ERROR, CONNECTION, OVERLOADED, TIMEOUT, NOT_FOUND -> true;
            default -> false;
        };
    }

    private static boolean hasLargerWindow(List<Deployment> plan, int floor) {
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

    private static GatewayError exhausted(Route route, GatewayError last, int made, Duration shortestOpen, boolean limited,
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
        if (HEADER_SAFE.matcher(deployment.upstreamModel()).matches()) {
            ctx.responseHeaders().set(UPSTREAM_MODEL_HEADER, deployment.upstreamModel());
        } else {
            ctx.responseHeaders().remove(UPSTREAM_MODEL_HEADER);
        }
    }

}
