package io.llmgw.core.spi;

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
 * @param label           {@code provider/model} as configured, for health, breakers and metrics: a
 *                        deployment with no fixed model under a glob route is labelled with the
 *                        glob ({@code backend/*}), so client-chosen names never become state or labels
 * @param upstream        the provider that calls this deployment's upstream (null only in tests of request encoding)
 */
public record Deployment(GatewayConfig.Provider provider, String upstreamModel, Integer maxOutputTokens, Boolean reasoning,
                         int weight, Integer contextWindow, GatewayConfig.Cost cost, ThinkingSupport thinking, String label,
                         Provider upstream) {
    public Deployment(GatewayConfig.Provider provider, String upstreamModel, Integer maxOutputTokens, Boolean reasoning,
                      int weight, Integer contextWindow, GatewayConfig.Cost cost, ThinkingSupport thinking, String label) {
        this(provider, upstreamModel, maxOutputTokens, reasoning, weight, contextWindow, cost, thinking, label, null);
    }


    public Deployment(GatewayConfig.Provider provider, String upstreamModel, Integer maxOutputTokens, Boolean reasoning,
                      int weight, Integer contextWindow, GatewayConfig.Cost cost, ThinkingSupport thinking) {
        this(provider, upstreamModel, maxOutputTokens, reasoning, weight, contextWindow, cost, thinking, label(provider, upstreamModel));
    }

    public Deployment(GatewayConfig.Provider provider, String upstreamModel, Integer maxOutputTokens, Boolean reasoning) {
        this(provider, upstreamModel, maxOutputTokens, reasoning, 1, null, null, null);
    }

    public Deployment(GatewayConfig.Provider provider, String upstreamModel, Integer maxOutputTokens, Boolean reasoning,
                      int weight, Integer contextWindow, GatewayConfig.Cost cost) {
        this(provider, upstreamModel, maxOutputTokens, reasoning, weight, contextWindow, cost, null);
    }

    /** The label of a configured deployment: its fixed model, else the route's configured name. */
    public static String label(GatewayConfig.Provider provider, String configuredModelOrRoute) {
        return provider.name() + "/" + configuredModelOrRoute;
    }
}
