package io.llmgw.core.limits;

import io.llmgw.core.auth.Identity;
import io.llmgw.core.config.AccessConfig;
import io.llmgw.core.config.AccessConfig.Price;
import io.llmgw.core.model.Usage;
import io.llmgw.core.pipeline.ModelCall;
import io.llmgw.core.pipeline.ModelFilter;
import io.llmgw.core.routing.Route;
import io.llmgw.core.spi.Deployment;
import io.llmgw.core.telemetry.RequestContext;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Prices each call from its reported usage as soon as the usage arrives: the cost goes into the
 * request log, the metrics and, when the answer is not streamed (its headers are still to be
 * sent), the {@code x-gateway-cost-usd} header. It also names who pays for the metrics, with
 * labels taken from the configuration only (virtual key and team names; {@code jwt} for token
 * subjects, whose number has no bound), so a caller cannot grow the label set.
 */
final class CostFilter implements ModelFilter.Check {
    static final String HEADER = "x-gateway-cost-usd";

    private final Prices prices;
    private final AccessConfig access;

    CostFilter(Prices prices, AccessConfig access) {
        this.prices = prices;
        this.access = access;
    }

    @Override
    public void check(ModelCall call) {
        RequestContext ctx = call.exchange().ctx();
        Identity identity = ctx.identity();
        ctx.meteredAs(keyLabel(identity), teamLabel(identity));
        Route route = call.route();
        String model = call.model();
        // not the call itself: it holds the decoded request, which a stream lets go of once committed
        ctx.onUsage(usage -> price(route, model, ctx, usage));
    }

    private void price(Route route, String model, RequestContext ctx, Usage usage) {
        Deployment deployment = null;
        for (Deployment candidate : route.deployments()) {
            if (candidate.label().equals(ctx.upstream())) {
                deployment = candidate;
                break;
            }
        }
        Price price = prices.find(model, deployment, ctx.upstreamModel());
        if (price == null) {
            return;
        }
        double cost = ctx.servedFromCache() ? 0 : Prices.cost(price, usage);  // a cached answer costs no upstream tokens
        ctx.costUsd(cost);
        // what "%.6f" writes (half up, six places), without a Formatter parsing its pattern on every request
        ctx.responseHeaders().set(HEADER, BigDecimal.valueOf(cost).setScale(6, RoundingMode.HALF_UP).toPlainString());
    }

    private static String keyLabel(Identity identity) {
        if (identity == null) {
            return "none";
        }
        return identity.kind().equals("virtual_key") ? identity.name() : identity.kind();
    }

    private String teamLabel(Identity identity) {
        if (identity == null || identity.team() == null) {
            return "none";
        }
        boolean configured = identity.kind().equals("virtual_key") || access.teams().containsKey(identity.team());
        return configured ? identity.team() : "other";
    }
}
