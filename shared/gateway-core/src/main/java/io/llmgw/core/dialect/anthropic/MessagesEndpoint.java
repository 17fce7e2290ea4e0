package io.llmgw.core.dialect.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.GatewayServices;
import io.llmgw.core.dialect.ErrorFormat;
import io.llmgw.core.dialect.RequestBodies;
import io.llmgw.core.http.Headers;
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
 * and {@code POST /v1/messages/count_tokens}. A model whose first deployment is an Anthropic upstream
 * is passed through ({@link NativeMessages}), count_tokens included; any other is translated
 * through the canonical model and counted locally. Query strings (Claude Code's {@code ?beta=true})
 * and {@code anthropic-beta} headers change nothing for translated upstreams.
 */
public final class MessagesEndpoint implements Endpoint {
    public static final String DIALECT = "anthropic-messages";
    /** On a locally counted count_tokens answer: {@code counted}, or {@code estimated} when the input was too large to encode whole. */
    public static final String TOKEN_COUNT_HEADER = "x-gateway-token-count";

    private final GatewayServices services;
    private final NativeMessages nativeMessages;
    private final boolean counting;

    private MessagesEndpoint(GatewayServices services, boolean counting) {
        this.services = services;
        this.nativeMessages = new NativeMessages(services);
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
        ObjectNode body = RequestBodies.jsonObject(exchange.request());
        MessagesFields.BODY.check(body, "");
        RequestContext ctx = exchange.ctx();
        String model = MessagesRequestDecoder.model(body);
        ctx.model(model);
        Route route = services.router().require(model);
        // Passed through when the first deployment speaks Messages itself, failing over among such
        // deployments only (a translated upstream could not take the body); otherwise translated.
        if (route.primary().provider().type().speaksAnthropicMessages()) {
            nativeMessages.serve(exchange, body, route.only(d -> d.provider().type().speaksAnthropicMessages()), counting);
            return;
        }
        CanonicalRequest request = MessagesRequestDecoder.decode(body);
        // Token counting and the thinking-signature origin follow the first deployment in configuration order.
        Deployment deployment = route.primary();
        IntSupplier inputTokens = () -> TokenCounter.forModel(deployment.upstreamModel()).count(request);
        ClientResponse out = exchange.out();
        if (counting) {
            TokenCounter counter = TokenCounter.forModel(deployment.upstreamModel());
            int tokens = counter.count(request);
            out.sendJson(200, Json.bytes(Json.object().put("input_tokens", tokens)),
                    Headers.of(TOKEN_COUNT_HEADER, counter.estimated() ? "estimated" : "counted"));
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
