package io.llmgw.core.routing;

import io.llmgw.core.config.GatewayConfig;

/**
 * One upstream that can serve a request: a provider and the model (or Azure deployment) there.
 *
 * @param upstreamModel   the model name to send upstream
 * @param maxOutputTokens the upstream's output ceiling, or null when not configured
 * @param reasoning       whether it is a reasoning model, or null when not configured
 */
public record Deployment(GatewayConfig.Provider provider, String upstreamModel, Integer maxOutputTokens, Boolean reasoning) {
    /** {@code provider/model}, for logs and metrics. */
    public String label() {
        return provider.name() + "/" + upstreamModel;
    }
}
