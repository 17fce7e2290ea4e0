package io.llmgw.core.routing;

import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.error.GatewayException;
import io.llmgw.core.relay.Completion;
import io.llmgw.core.spi.Deployment;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.web.ClientGoneException;
import io.llmgw.core.web.ClientResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One request's way through its route's deployments ({@link Attempts#run}): what has been tried, what
 * must not be tried again and why the last try failed. An attempt's outcome may arrive later, on
 * another thread; the loop then goes on from there with {@link #next}.
 */
final class AttemptLoop<T> {
    private final Attempts attempts;
    private final Route route;
    private final Attempts.Estimate estimate;
    final RequestContext ctx;
    private final ClientResponse out;
    private final List<Deployment> plan;
    final Attempts.Attempt<T> attempt;
    private final Completion<Attempts.Won<T>> result;
    private final Instant deadline;
    private final int budget;
    private final Set<Deployment> tried = new HashSet<>();
    private final Set<Deployment> noRepeat = new HashSet<>();
    private Integer condenseTo;
    private GatewayError last;
    private Duration shortestOpen;
    private boolean limited;
    private Integer windowFloor;
    private int made;
    private int step;

    AttemptLoop(Attempts attempts, Route route, Attempts.Estimate estimate, RequestContext ctx, ClientResponse out,
                List<Deployment> plan, Integer condenseTo, Attempts.Attempt<T> attempt, Completion<Attempts.Won<T>> result) {
        this.attempts = attempts;
        this.route = route;
        this.estimate = estimate;
        this.ctx = ctx;
        this.out = out;
        this.plan = plan;
        this.condenseTo = condenseTo;
        this.attempt = attempt;
        this.result = result;
        this.deadline = ctx.deadline();
        this.budget = Math.max(plan.size(), 1 + attempts.policy().retries());
    }

    /** Starts the next attempt the plan, the budget and the deadline allow, or ends the loop with the reason there is none. */
    void next() {
        while (step < budget + plan.size()) {
            if (ctx.clientGone()) {
                result.failed(new ClientGoneException(new IOException("the client went away")));
                return;
            }
            if (made >= budget || !Instant.now().isBefore(deadline)) {
                break;
            }
            Deployment d = plan.get(step++ % plan.size());
            if (noRepeat.contains(d) || (windowFloor != null && (d.contextWindow() == null || d.contextWindow() <= windowFloor))) {
                continue;
            }
            if (tried.contains(d)) {
                Duration wait = attempts.backOff(made - plan.size() + 1, last, deadline);
                if (wait == null || !attempts.pause().pause(wait, out, () -> tryOrGoOn(d))) {
                    break;
                }
                return;  // the loop goes on after the wait
            }
            if (attempts.tryAt(this, d, condenseTo)) {
                return;  // its outcome goes on from here
            }
        }
        result.failed(Attempts.exhausted(route, last, made, shortestOpen, limited, deadline).exception());
    }

    private void tryOrGoOn(Deployment deployment) {
        if (!attempts.tryAt(this, deployment, condenseTo)) {
            next();
        }
    }

    void started(Deployment deployment) {
        made++;
        tried.add(deployment);
    }

    void circuitOpen(Duration open) {
        shortestOpen = shortestOpen == null || (open != null && open.compareTo(shortestOpen) < 0) ? open : shortestOpen;
    }

    void slotsFull() {
        limited = true;
    }

    void won(Attempts.Won<T> won) {
        result.done(won);
    }

    /** Ends the loop with a failure that is not an attempt's (a bug, a client gone). */
    void failed(RuntimeException error) {
        result.failed(error);
    }

    /** An attempt at {@code deployment} failed with {@code e}: the loop goes on, or ends with it when nothing else could do better. */
    void lost(Deployment deployment, GatewayException e) {
        GatewayError error = e.error();
        last = error;
        if (error.kind() == ErrorKind.CONTEXT_LENGTH) {
            windowFloor = deployment.contextWindow() != null ? deployment.contextWindow() : estimate.tokens();
            noRepeat.add(deployment);
            if (!Attempts.hasLargerWindow(plan, windowFloor)) {
                if (!route.condense() || condenseTo != null) {
                    result.failed(e);
                    return;
                }
                // Nothing larger to move to: try once more here with the oldest turns dropped.
                condenseTo = windowFloor * 3 / 4;
                windowFloor = null;
                noRepeat.remove(deployment);
                tried.remove(deployment);
            }
            next();
            return;
        }
        boolean missingHere = error.kind() == ErrorKind.NOT_FOUND;  // e.g. an Azure deployment that was removed
        if (!error.kind().retryable() && !missingHere) {
            result.failed(e);
            return;
        }
        if (missingHere || error.kind() == ErrorKind.CREDENTIAL || error.kind() == ErrorKind.QUOTA) {
            noRepeat.add(deployment);  // another deployment may have it, or a working key or quota; this one will not
        }
        next();
    }
}
