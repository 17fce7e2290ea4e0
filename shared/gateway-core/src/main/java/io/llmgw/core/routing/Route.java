package io.llmgw.core.routing;

import io.llmgw.core.spi.Deployment;

import io.llmgw.core.config.GatewayConfig;
import java.util.List;

/**
 * The deployments that may serve one requested model, in the order to try them.
 *
 * @param requestedModel the name the client asked for
 * @param configuredName the configuration entry that matched (exact name or glob)
 * @param strategy       how to order the deployments for each request
 * @param condense       whether oldest turns may be dropped when no context window fits
 */
public record Route(String requestedModel, String configuredName, List<Deployment> deployments, GatewayConfig.Strategy strategy,
                    boolean condense) {
    public Route(String requestedModel, String configuredName, List<Deployment> deployments) {
        this(requestedModel, configuredName, deployments, GatewayConfig.Strategy.PRIORITY, false);
    }

    /**
     * The same route over only the deployments that satisfy {@code keep}: this route itself when all
     * do, as nearly always (a route is narrowed for every request, so no stream and no new list then).
     */
    public Route only(java.util.function.Predicate<Deployment> keep) {
        for (int i = 0; i < deployments.size(); i++) {
            if (!keep.test(deployments.get(i))) {
                return new Route(requestedModel, configuredName, deployments.stream().filter(keep).toList(), strategy, condense);
            }
        }
        return this;
    }

    public Deployment primary() {
        return deployments.get(0);
    }
}
