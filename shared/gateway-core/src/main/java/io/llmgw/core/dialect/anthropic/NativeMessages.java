package io.llmgw.core.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.GatewayServices;
import io.llmgw.core.dialect.RequestedModel;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.json.Json;
import io.llmgw.core.protocol.anthropic.AnthropicUsage;
import io.llmgw.core.protocol.anthropic.ThinkingForms;
import io.llmgw.core.routing.Attempts;
import io.llmgw.core.routing.NativeCalls;
import io.llmgw.core.routing.NativeRelay;
import io.llmgw.core.routing.Route;
import io.llmgw.core.routing.TokenEstimate;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.web.Exchange;
import java.io.IOException;

/**
 * Anthropic clients in front of Anthropic upstreams: the client's body goes upstream with only
 * {@code model} replaced — byte for byte otherwise, so thinking signatures, {@code cache_control},
 * betas and fields newer than the gateway arrive as sent — with the client's {@code anthropic-version}
 * and {@code anthropic-beta}; the answer (stream events, message or token count) comes back as the
 * upstream wrote it, naming the model the client asked for ({@link RequestedModel}). Failover and
 * retries run over the route's Anthropic deployments only. The exceptions to "as sent": thinking the
 * gateway signed for another upstream is taken out ({@link ReplayedThinking}), since Anthropic would
 * refuse the request for it, and a {@code thinking} form the deployment's model does not take is
 * converted or left out ({@link PassthroughThinking}).
 */
final class NativeMessages {
    private final NativeRelay relay;

    NativeMessages(GatewayServices services) {
        this.relay = new NativeRelay(services.relay(), services.attempts());
    }

    /** @param counting a count_tokens request rather than a message */
    void serve(Exchange exchange, ObjectNode body, Route route, boolean counting) {
        RequestContext ctx = exchange.ctx();
        byte[] raw = exchange.request().body();
        ObjectNode sanitized = ReplayedThinking.sanitize(body);  // count_tokens reads the same conversation
        boolean stream = !counting && body.path("stream").asBoolean(false);
        JsonNode maxTokens = body.get("max_tokens");
        Attempts.Estimate estimate = new Attempts.Estimate(TokenEstimate.ofJsonBytes(raw.length),
                maxTokens != null && maxTokens.canConvertToInt() ? maxTokens.intValue() : null);
        Attempts.Attempt<NativeCalls.Call> prepare = (deployment, condenseTo) -> {
            ObjectNode fitted = PassthroughThinking.fit(sanitized != null ? sanitized : body,
                    ThinkingForms.of(deployment.upstreamModel(), deployment.thinking()));
            byte[] attemptBody = withModel(raw, fitted != null ? fitted : sanitized, deployment.upstreamModel());
            return counting
                    ? NativeCalls.countTokens(deployment, attemptBody, exchange.request().headers(), exchange.credential(), ctx.requestId())
                    : NativeCalls.messages(deployment, attemptBody, stream, exchange.request().headers(), exchange.credential(),
                            ctx.requestId());
        };
        RequestedModel requested = new RequestedModel(route.requestedModel(), ctx);
        if (stream) {
            relay.stream(route, estimate, ctx, exchange.out(), prepare, () -> new PassthroughStream(requested, ctx));
            return;
        }
        byte[] answer = relay.call(route, estimate, ctx, prepare);
        if (!counting) {
            record(answer, ctx);
            answer = requested.in(answer, "model");
        }
        exchange.out().sendJson(200, answer, null);
    }

    /** The body with the deployment's model: the client's bytes with only that value spliced in, unless it had to change. */
    private static byte[] withModel(byte[] raw, ObjectNode sanitized, String model) {
        if (sanitized != null) {
            return Json.bytes(sanitized.deepCopy().put("model", model));
        }
        try {
            byte[] spliced = Json.replaceTopLevelString(raw, "model", model);
            if (spliced != null) {
                return spliced;
            }
        } catch (IOException e) {
            // already parsed once, so this cannot happen; the message below covers it anyway
        }
        throw GatewayError.of(ErrorKind.INVALID_REQUEST, "model: Input should be a valid string").exception();
    }

    private static void record(byte[] answer, RequestContext ctx) {
        try {
            ctx.usage(AnthropicUsage.read(Json.parse(answer).get("usage")));
        } catch (IOException | RuntimeException notJson) {
            // passed on as the upstream sent it; only the log line lacks usage
        }
    }
}
