package io.llmgw.core.routing;

import io.llmgw.core.spi.Deployment;
import io.llmgw.core.spi.Upstreams;

import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Maps a requested model name to its deployments: an exact configured name first, then glob
 * patterns ({@code *}, {@code ?}) in configuration order.
 */
public final class ModelRouter {
    /** Routes for the exact names, made once: nothing in them depends on the request. */
    private final Map<String, Route> exact = new LinkedHashMap<>();
    private final List<Map.Entry<Predicate<String>, GatewayConfig.Model>> patterns = new ArrayList<>();
    private final Map<String, GatewayConfig.Provider> providers;
    private final Upstreams upstreams;

    public ModelRouter(GatewayConfig config) {
        this(config, new Upstreams(config));
    }

    public ModelRouter(GatewayConfig config, Upstreams upstreams) {
        this.providers = config.providers();
        this.upstreams = upstreams;
        for (GatewayConfig.Model model : config.models()) {
            if (model.isPattern()) {
                patterns.add(Map.entry(glob(model.name()), model));
            } else {
                exact.put(model.name(), route(model.name(), model));
            }
        }
    }

    /** The route for a model the client named; a 404 in the client's dialect when none is configured. */
    public Route require(String requestedModel) {
        return route(requestedModel).orElseThrow(() -> GatewayError.of(ErrorKind.NOT_FOUND,
                "The model '" + requestedModel + "' does not exist or is not served by this gateway.", "model_not_found")
                .withParam("model").exception());
    }

    public Optional<Route> route(String requestedModel) {
        Route route = exact.get(requestedModel);
        if (route != null) {
            return Optional.of(route);
        }
        for (Map.Entry<Predicate<String>, GatewayConfig.Model> entry : patterns) {
            if (entry.getKey().test(requestedModel)) {
                return Optional.of(route(requestedModel, entry.getValue()));
            }
        }
        return Optional.empty();
    }

    private Route route(String requestedModel, GatewayConfig.Model model) {
        List<Deployment> deployments = new ArrayList<>(model.deployments().size());
        for (GatewayConfig.DeploymentConfig d : model.deployments()) {
            String upstream = d.model() == null ? requestedModel : d.model();
            GatewayConfig.Provider provider = providers.get(d.provider());
            deployments.add(new Deployment(provider, upstream, d.maxOutputTokens(), d.reasoning(), d.weight(),
                    d.contextWindow(), d.cost(), d.thinking(), Deployment.label(provider, d.model() == null ? model.name() : d.model()),
                    upstreams.get(d.provider())));
        }
        return new Route(requestedModel, model.name(), List.copyOf(deployments), model.strategy(), model.condense());
    }

    /**
     * Names to list on {@code /v1/models}: the exact configured names, plus the fixed upstream
     * model names behind glob entries (a glob itself names no model a client could pick).
     */
    public List<String> listedModels() {
        Set<String> names = new LinkedHashSet<>(exact.keySet());
        for (Map.Entry<Predicate<String>, GatewayConfig.Model> entry : patterns) {
            for (GatewayConfig.DeploymentConfig d : entry.getValue().deployments()) {
                if (d.model() != null) {
                    names.add(d.model());
                }
            }
        }
        return List.copyOf(names);
    }

    /** Whether a name matches {@code glob}; {@code *} alone, the usual catch-all, without a regular expression. */
    private static Predicate<String> glob(String glob) {
        if (glob.equals("*")) {
            return name -> true;
        }
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString()).asMatchPredicate();
    }
}
