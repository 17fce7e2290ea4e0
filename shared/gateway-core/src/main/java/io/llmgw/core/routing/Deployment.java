package io.llmgw.core.routing;

import io.llmgw.core.config.GatewayConfig;

/**
 * One upstream that can serve a request: a provider and the model (or Azure deployment) there.
 *
 * @param upstreamModel   the model name to send upstream
 * @param maxOutputTokens the upstream's output ceiling, or null when not configured
 * @param reasoning       whether it is a reasoning model, or null when not configured
 * @param weight          share under the weighted strategy
 * @param contextWindow   context window in tokens, or null when unknown
 * @param cost            prices for the cost strategy, or null when unknown
 */
public record Deployment(GatewayConfig.Provider provider, String upstreamModel, Integer maxOutputTokens, Boolean reasoning,
                         int weight, Integer contextWindow, GatewayConfig.Cost cost) {
    public Deployment(GatewayConfig.Provider provider, String upstreamModel, Integer maxOutputTokens, Boolean reasoning) {
        this(provider, upstreamModel, maxOutputTokens, reasoning, 1, null, null);
    }

    /** {@code provider/model}, for logs and metrics. */
    public String label() {
        return provider.name() + "/" + upstreamModel;
    }
}
