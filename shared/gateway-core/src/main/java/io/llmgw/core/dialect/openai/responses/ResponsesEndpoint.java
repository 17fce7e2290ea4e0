package io.llmgw.core.dialect.openai.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.GatewayRequest;
import io.llmgw.core.GatewayServices;
import io.llmgw.core.dialect.ErrorFormat;
import io.llmgw.core.dialect.RequestBodies;
import io.llmgw.core.dialect.RequestedModel;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.Headers;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.protocol.openai.OpenAiErrors;
import io.llmgw.core.protocol.openai.ResponsesWire;
import io.llmgw.core.routing.CanonicalRelay;
import io.llmgw.core.routing.Deployment;
import io.llmgw.core.routing.ModelRouter;
import io.llmgw.core.routing.Attempts;
import io.llmgw.core.routing.NativeCalls;
import io.llmgw.core.routing.NativeRelay;
import io.llmgw.core.routing.Route;
import io.llmgw.core.routing.TokenEstimate;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.web.Endpoint;
import io.llmgw.core.web.Exchange;
import io.llmgw.core.web.Routes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/responses}: the OpenAI Responses API. Served natively by upstreams configured
 * {@code responses: native} (the body passes through with only {@code model} rewritten), else
 * translated onto chat completions through the canonical model. A WebSocket upgrade on
 * {@code GET} (Codex tries one first) is refused at once with 426, the status Codex takes as
 * "use HTTP"; any other {@code GET} is a 405.
 */
public final class ResponsesEndpoint implements Endpoint {
    public static final String DIALECT = "openai-responses";
    /** Created on first use: a static logger would start the logging back end while the gateway is built (cold start). */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(ResponsesEndpoint.class);
    }

    private final ModelRouter router;
    private final CanonicalRelay canonicalRelay;
    private final NativeRelay nativeRelay;

    private ResponsesEndpoint(GatewayServices services) {
        this.router = services.router();
        this.canonicalRelay = services.canonicalRelay();
        this.nativeRelay = new NativeRelay(services.relay(), services.attempts());
    }

    /** OpenAI's path, and Azure's v1 and preview paths for clients configured with an Azure base URL. */
    public static void register(Routes routes, GatewayServices services) {
        ResponsesEndpoint endpoint = new ResponsesEndpoint(services);
        routes.add("/v1/responses", endpoint);
        routes.add("/openai/v1/responses", endpoint);
        routes.add("/openai/responses", endpoint);
    }

    @Override
    public Set<String> methods() {
        return Set.of("POST", "GET");
    }

    @Override
    public String dialect() {
        return DIALECT;
    }

    @Override
    public ErrorFormat errors() {
        return OpenAiErrors.INSTANCE;
    }

    /** Refusing a GET reveals nothing, so it needs no key (and a client probing for WebSockets gets its answer fast). */
    @Override
    public boolean authenticated(GatewayRequest request) {
        return request.method().equals("POST");
    }

    @Override
    public void handle(Exchange exchange) {
        if (!exchange.request().method().equals("POST")) {
            throw refusal(exchange.request()).exception();
        }
        RequestContext ctx = exchange.ctx();
        ObjectNode body = RequestBodies.jsonObject(exchange.request());
        ResponsesFields.BODY.check(body, "");
        String model = RequestBodies.requiredText(body, "model");
        ctx.model(model);
        Route route = router.require(model);
        // A model whose first deployment serves Responses itself is passed through, failing over among
        // such deployments only (a chat-only upstream could not take the body); otherwise it is translated.
        if (route.primary().provider().nativeResponses()) {
            passThrough(exchange, body, route.only(d -> d.provider().nativeResponses()));
        } else {
            translate(exchange, body, model, route);
        }
    }

    private void translate(Exchange exchange, ObjectNode body, String model, Route route) {
        ResponsesRequestDecoder.Decoded decoded = ResponsesRequestDecoder.decode(body, model);
        logDropped(decoded, route.primary(), exchange.ctx());
        ResponseEnvelope envelope = new ResponseEnvelope(body, model, decoded.tools());
        if (decoded.request().stream()) {
            canonicalRelay.stream(decoded.request(), route, exchange.credential(), exchange.ctx(), exchange.out(),
                    new ResponsesStreamEncoder(envelope, exchange.out()::write));
        } else {
            CanonicalResponse answer = canonicalRelay.call(decoded.request(), route, exchange.credential(), exchange.ctx());
            exchange.out().sendJson(200, Json.bytes(ResponsesResponseEncoder.encode(envelope, answer)), null);
        }
    }

    /**
     * The client's body with the upstream's model name; everything else, previous_response_id included, as sent.
     * The answer names the model the client asked for.
     */
    private void passThrough(Exchange exchange, ObjectNode body, Route route) {
        RequestContext ctx = exchange.ctx();
        boolean stream = body.path("stream").asBoolean(false);
        Attempts.Estimate estimate = new Attempts.Estimate(TokenEstimate.ofJsonBytes(exchange.request().body().length), null);
        Attempts.Attempt<NativeCalls.Call> prepare = (deployment, condenseTo) -> {
            ObjectNode attemptBody = body.deepCopy();
            attemptBody.put("model", deployment.upstreamModel());
            return NativeCalls.responses(deployment, Json.bytes(attemptBody), stream, exchange.credential(), ctx.requestId());
        };
        RequestedModel requested = new RequestedModel(route.requestedModel(), ctx);
        if (stream) {
            nativeRelay.stream(route, estimate, ctx, exchange.out(), prepare, () -> new ResponsesPassthrough(requested, ctx));
            return;
        }
        byte[] answer = nativeRelay.call(route, estimate, ctx, prepare);
        try {
            RequestContext.Usage usage = ResponsesWire.readUsage(Json.parse(answer).get("usage"));
            if (usage != null) {
                ctx.usage(usage);
            }
        } catch (IOException | RuntimeException notJson) {
            // passed on as the upstream sent it; only the log line lacks usage
        }
        exchange.out().sendJson(200, requested.in(answer, "model"), null);
    }

    /**
     * At debug only: leaving out what the upstream cannot take is expected behaviour (every Codex
     * request carries hosted tools), said once at start-up by {@link io.llmgw.core.dialect.TranslationLimits}.
     */
    private static void logDropped(ResponsesRequestDecoder.Decoded decoded, Deployment deployment, RequestContext ctx) {
        if (decoded.droppedTools().isEmpty() && decoded.droppedItems().isEmpty() || !Log.LOG.isDebugEnabled()) {
            return;
        }
        List<String> what = new ArrayList<>();
        if (!decoded.droppedTools().isEmpty()) {
            what.add("hosted tools " + decoded.droppedTools());
        }
        if (!decoded.droppedItems().isEmpty()) {
            what.add("input items " + decoded.droppedItems());
        }
        Log.LOG.debug("request {}: {} left out; upstream {} ({}) has no equivalent", ctx.requestId(), String.join(" and ", what),
                deployment.label(), deployment.provider().type().configName());
    }

    /** 426 for a WebSocket upgrade (Codex then falls back to POST), 405 for any other GET. */
    private static GatewayError refusal(GatewayRequest request) {
        String upgrade = request.headers().first("upgrade");
        if (upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket")) {
            return new GatewayError(ErrorKind.INVALID_REQUEST, 426, "This gateway serves the Responses API over HTTP only; "
                    + "send the request as POST /v1/responses.", "websocket_not_supported", null, null,
                    Headers.of("connection", "close"));
        }
        return new GatewayError(ErrorKind.METHOD_NOT_ALLOWED, 405, "Method " + request.method() + " is not allowed here; use POST.",
                "method_not_allowed", null, null, Headers.of("allow", "POST"));
    }
}
