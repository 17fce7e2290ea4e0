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
 * @param label           {@code provider/model} as configured, for health, breakers and metrics: a
 *                        deployment with no fixed model under a glob route is labelled with the
 *                        glob ({@code backend/*}), so client-chosen names never become state or labels
 */
public record Deployment(GatewayConfig.Provider provider, String upstreamModel, Integer maxOutputTokens, Boolean reasoning,
                         int weight, Integer contextWindow, GatewayConfig.Cost cost, String label) {
    public Deployment(GatewayConfig.Provider provider, String upstreamModel, Integer maxOutputTokens, Boolean reasoning,
                      int weight, Integer contextWindow, GatewayConfig.Cost cost) {
        this(provider, upstreamModel, maxOutputTokens, reasoning, weight, contextWindow, cost, label(provider, upstreamModel));
    }

    public Deployment(GatewayConfig.Provider provider, String upstreamModel, Integer maxOutputTokens, Boolean reasoning) {
        this(provider, upstreamModel, maxOutputTokens, reasoning, 1, null, null);
    }

    /** The label of a configured deployment: its fixed model, else the route's configured name. */
    public static String label(GatewayConfig.Provider provider, String configuredModelOrRoute) {
        return provider.name() + "/" + configuredModelOrRoute;
    }
}
