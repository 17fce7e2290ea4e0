package io.llmgw.core.routing;

import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.config.ThinkingSupport;
import io.llmgw.core.telemetry.RequestContext;

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
 */
public record Deployment(GatewayConfig.Provider provider, String upstreamModel, Integer maxOutputTokens, Boolean reasoning,
                         int weight, Integer contextWindow, GatewayConfig.Cost cost, ThinkingSupport thinking, String label) {
    /** Names the model the gateway asked the upstream for (set on every response of a routed request). */
    public static final String UPSTREAM_MODEL_HEADER = "x-gateway-upstream-model";
    private static final java.util.regex.Pattern HEADER_SAFE = java.util.regex.Pattern.compile("[\\x21-\\x7e]{1,256}");

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

    /**
     * Records this deployment as the one being tried: for the request log, and as the
     * {@value #UPSTREAM_MODEL_HEADER} response header. A model name that is no plain header token
     * (it may be the client's own string, behind a glob route) is left out of the header.
     */
    void announce(RequestContext ctx) {
        ctx.upstream(label());
        if (HEADER_SAFE.matcher(upstreamModel).matches()) {
            ctx.responseHeaders().set(UPSTREAM_MODEL_HEADER, upstreamModel);
        } else {
            ctx.responseHeaders().remove(UPSTREAM_MODEL_HEADER);
        }
    }

    /** The label of a configured deployment: its fixed model, else the route's configured name. */
    public static String label(GatewayConfig.Provider provider, String configuredModelOrRoute) {
        return provider.name() + "/" + configuredModelOrRoute;
    }
}
