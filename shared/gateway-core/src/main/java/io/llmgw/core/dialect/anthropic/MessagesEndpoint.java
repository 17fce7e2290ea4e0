package io.llmgw.core.dialect.anthropic;

import io.llmgw.core.GatewayServices;
import io.llmgw.core.dialect.ErrorFormat;
import io.llmgw.core.dialect.RequestBodies;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.routing.Deployment;
import io.llmgw.core.routing.Route;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.web.ClientResponse;
import io.llmgw.core.web.Endpoint;
import io.llmgw.core.web.Exchange;
import io.llmgw.core.web.Routes;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * Anthropic's Messages API in front of any upstream: {@code POST /v1/messages}, streaming or not,
 * and {@code POST /v1/messages/count_tokens}, counted locally. Query strings (Claude Code's
 * {@code ?beta=true}) and {@code anthropic-beta} headers change nothing for translated upstreams.
 */
public final class MessagesEndpoint implements Endpoint {
    public static final String DIALECT = "anthropic-messages";

    private final GatewayServices services;
    private final boolean counting;

    private MessagesEndpoint(GatewayServices services, boolean counting) {
        this.services = services;
        this.counting = counting;
    }

    /** The two routes, and Anthropic-form errors for anything else under {@code /v1/messages}. */
    public static void register(Routes routes, GatewayServices services) {
        routes.add("/v1/messages", new MessagesEndpoint(services, false));
        routes.add("/v1/messages/count_tokens", new MessagesEndpoint(services, true));
        routes.errorFormat("/v1/messages", AnthropicErrors.INSTANCE);
    }

    @Override
    public Set<String> methods() {
        return Set.of("POST");
    }

    @Override
    public String dialect() {
        return DIALECT;
    }

    @Override
    public ErrorFormat errors() {
        return AnthropicErrors.INSTANCE;
    }

    @Override
    public void handle(Exchange exchange) {
        CanonicalRequest request = MessagesRequestDecoder.decode(RequestBodies.jsonObject(exchange.request()));
        RequestContext ctx = exchange.ctx();
        ctx.model(request.model());
        Route route = services.router().require(request.model());
        // Token counting and the thinking-signature origin follow the first deployment in configuration order.
        Deployment deployment = route.primary();
        IntSupplier inputTokens = () -> TokenCounter.forModel(deployment.upstreamModel()).count(request);
        ClientResponse out = exchange.out();
        if (counting) {
            out.sendJson(200, Json.bytes(Json.object().put("input_tokens", inputTokens.getAsInt())), null);
            return;
        }
        String origin = deployment.provider().type().configName();
        if (request.stream()) {
            services.canonicalRelay().stream(request, route, exchange.credential(), ctx, out,
                    new MessagesStreamEncoder(out, request.model(), origin, inputTokens));
        } else {
            CanonicalResponse response = services.canonicalRelay().call(request, route, exchange.credential(), ctx);
            out.sendJson(200, MessagesResponseEncoder.encode(response, request.model(), origin, inputTokens), null);
        }
    }
}
