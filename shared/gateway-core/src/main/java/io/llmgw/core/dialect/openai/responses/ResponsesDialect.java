package io.llmgw.core.dialect.openai.responses;

import io.llmgw.core.model.Usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.core.dialect.ClientBodyPassthrough;
import io.llmgw.core.dialect.ClientDialect;
import io.llmgw.core.dialect.Passthrough;
import io.llmgw.core.dialect.RequestBodies;
import io.llmgw.core.dialect.RequestedModel;
import io.llmgw.core.dialect.Translation;
import io.llmgw.core.dialect.openai.responses.store.ResponseStore;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.Headers;
import io.llmgw.core.json.Json;
import io.llmgw.core.protocol.openai.ResponsesWire;
import io.llmgw.core.relay.StreamTranslator;
import io.llmgw.core.spi.Deployment;
import io.llmgw.core.spi.Dialect;
import io.llmgw.core.spi.NativeBody;
import io.llmgw.core.telemetry.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAI Responses API ({@code POST /v1/responses}). Passed through to upstreams that serve it
 * themselves ({@code responses: native}: the body with only {@code model} rewritten), translated onto
 * chat completions (or any other upstream) through the canonical model otherwise — with
 * {@code previous_response_id} expanded from, and the response kept in, the gateway's own store
 * ({@link ResponsesHistory}). A WebSocket upgrade
 * on {@code GET} (Codex tries one first) is refused at once with 426, the status Codex takes as "use
 * HTTP"; any other {@code GET} is a 405.
 */
public final class ResponsesDialect implements ClientDialect {
    /** Created on first use: a static logger would start the logging back end while the gateway is built (cold start). */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(ResponsesDialect.class);
    }

    private final ResponseStore stored;

    /** @param stored where translated responses are kept for {@code previous_response_id} and {@code GET /v1/responses/{id}} */
    public ResponsesDialect(ResponseStore stored) {
        this.stored = stored;
    }

    @Override
    public Dialect id() {
        return Dialect.RESPONSES;
    }

    /** OpenAI's path, and Azure's v1 and preview paths for clients configured with an Azure base URL. */
    @Override
    public List<String> paths() {
        return List.of("/v1/responses", "/openai/v1/responses", "/openai/responses");
    }

    @Override
    public Set<String> methods() {
        return Set.of("POST", "GET");
    }

    /** 426 for a WebSocket upgrade (Codex then falls back to POST), 405 for any other GET. */
    @Override
    public GatewayError refusal(GatewayRequest request) {
        if (request.method().equals("POST")) {
            return null;
        }
        String upgrade = request.headers().first("upgrade");
        if (upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket")) {
            return new GatewayError(ErrorKind.INVALID_REQUEST, 426, "This gateway serves the Responses API over HTTP only; "
                    + "send the request as POST /v1/responses.", "websocket_not_supported", null, null,
                    Headers.of("connection", "close"));
        }
        return new GatewayError(ErrorKind.METHOD_NOT_ALLOWED, 405, "Method " + request.method() + " is not allowed here; use POST.",
                "method_not_allowed", null, null, Headers.of("allow", "POST"));
    }

    @Override
    public String model(ObjectNode body, Map<String, String> pathParams) {
        ResponsesFields.BODY.check(body, "");
        return RequestBodies.requiredText(body, "model");
    }

    @Override
    public Translation translate(ObjectNode body, String model, Deployment primary, RequestContext ctx) {
        ResponsesHistory.Begun begun = ResponsesHistory.begin(body, ctx.identity(), stored);
        ResponsesRequestDecoder.Decoded decoded = ResponsesRequestDecoder.decode(begun.body(), model);
        logDropped(decoded, primary, ctx);
        ResponseEnvelope envelope = new ResponseEnvelope(body, model, decoded.tools(), begun.turn());
        return Translation.of(decoded.request(),
                out -> new ResponsesStreamEncoder(envelope, out::write),
                answer -> Json.bytes(ResponsesResponseEncoder.encode(envelope, answer)));
    }

    /**
     * The client's body with the upstream's model name; everything else, previous_response_id included, as sent.
     * The answer names the model the client asked for.
     */
    @Override
    public Passthrough passthrough(ObjectNode body, GatewayRequest request) {
        boolean stream = body.path("stream").asBoolean(false);
        return new ClientBodyPassthrough(stream, body, request) {
            @Override
            public NativeBody body(Deployment deployment, Integer condenseTo, RequestContext ctx) {
                byte[] asSent = rawWithModel(deployment.upstreamModel());
                if (asSent != null) {
                    return new NativeBody(Dialect.RESPONSES, false, null, asSent, stream, request().headers(), ctx.requestId());
                }
                ObjectNode attempt = json().deepCopy();
                attempt.put("model", deployment.upstreamModel());
                return new NativeBody(Dialect.RESPONSES, false, attempt, null, stream, request().headers(), ctx.requestId());
            }

            @Override
            public StreamTranslator streamTranslator(RequestedModel requested, RequestContext ctx) {
                return new ResponsesPassthroughStream(requested, ctx);
            }

            @Override
            public Usage usage(JsonNode usage) {
                return ResponsesWire.readUsage(usage);
            }
        };
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
                deployment.label(), deployment.provider().type());
    }
}
