package io.llmgw.core.dialect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.core.error.ErrorFormat;
import io.llmgw.core.protocol.openai.OpenAiErrors;
import io.llmgw.core.spi.Deployment;
import io.llmgw.core.spi.Dialect;
import io.llmgw.core.spi.Provider;
import io.llmgw.core.telemetry.RequestContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One client API as the gateway serves it: what a request says, and how to answer it in this API's
 * own terms. The request pipeline (one implementation for every dialect) routes the request and
 * chooses the path: a {@link Passthrough} when the route's first upstream speaks this dialect itself,
 * else a {@link Translation} through the canonical model.
 */
public interface ClientDialect {
    /** Which API this is (names it in logs, and among a provider's native dialects). */
    Dialect id();

    /** The paths this dialect answers on. */
    List<String> paths();

    /** Path patterns it answers on besides; their named groups become path parameters ({@link #model}). */
    default Map<Pattern, String[]> pathPatterns() {
        return Map.of();
    }

    /** Paths starting with this get errors in this dialect's format even when no route matches, or null. */
    default String errorPrefix() {
        return null;
    }

    /** Whether a body of this dialect goes to {@code upstream} as it is (else it is translated). */
    default boolean passesThroughTo(Provider upstream) {
        return upstream.nativeDialects().contains(id());
    }

    /** The HTTP methods its routes take. */
    default Set<String> methods() {
        return Set.of("POST");
    }

    /** How its errors are written: OpenAI's format unless the API has its own. */
    default ErrorFormat errors() {
        return OpenAiErrors.INSTANCE;
    }

    /**
     * A request answered before anything else (Responses' refusal of a WebSocket upgrade), or null.
     * Such a request needs no key.
     */
    default io.llmgw.core.error.GatewayError refusal(GatewayRequest request) {
        return null;
    }

    /**
     * Checks the body's types and required fields (a 400 naming the field otherwise) and returns
     * the model it asks for.
     *
     * @param pathParams named parts of the route's path (an Azure-style path names the model)
     */
    String model(ObjectNode body, Map<String, String> pathParams);

    /** The translated path: the canonical request, and how to answer it in this dialect. */
    Translation translate(ObjectNode body, String model, Deployment primary, RequestContext ctx);

    /** The passthrough path, for upstreams that speak this dialect. */
    Passthrough passthrough(ObjectNode body, GatewayRequest request);
}
