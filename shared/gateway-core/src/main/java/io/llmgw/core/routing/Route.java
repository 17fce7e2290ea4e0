package io.llmgw.core.routing;

import java.util.List;

/**
 * The deployments that may serve one requested model, in the order to try them.
 *
 * @param requestedModel the name the client asked for
 * @param configuredName the configuration entry that matched (exact name or glob)
 */
public record Route(String requestedModel, String configuredName, List<Deployment> deployments) {
    public Deployment primary() {
        return deployments.get(0);
    }
}
