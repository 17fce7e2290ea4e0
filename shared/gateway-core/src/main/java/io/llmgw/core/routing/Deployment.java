package io.llmgw.core.routing;

import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.config.ThinkingSupport;

/**
 * One upstream that can serve a request: a provider and the model (or Azure deployment) there.
 *
 * @param upstreamModel   the model name to send upstream
 * @param maxOutputTokens the upstream's output ceiling, or null when not configured
 * @param reasoning       whether it is a reasoning model, or null when not configured
 * @param weight          share under the weighted strategy
 * @param contextWindow   context window in tokens, or null when unknown
 * @param cost            prices for the cost strategy, or null when unknown
 * @param thinking        the Anthropic thinking forms the model accepts, or null when not configured
 */
public record Deployment(GatewayConfig.Provider provider, String upstreamModel, Integer maxOutputTokens, Boolean reasoning,
                         int weight, Integer contextWindow, GatewayConfig.Cost cost, ThinkingSupport thinking) {
    public Deployment(GatewayConfig.Provider provider, String upstreamModel, Integer maxOutputTokens, Boolean reasoning) {
        this(provider, upstreamModel, maxOutputTokens, reasoning, 1, null, null, null);
    }

    public Deployment(GatewayConfig.Provider provider, String upstreamModel, Integer maxOutputTokens, Boolean reasoning,
                      int weight, Integer contextWindow, GatewayConfig.Cost cost) {
        this(provider, upstreamModel, maxOutputTokens, reasoning, weight, contextWindow, cost, null);
    }

    /** {@code provider/model}, for logs and metrics. */
    public String label() {
        return provider.name() + "/" + upstreamModel;
    }
}
