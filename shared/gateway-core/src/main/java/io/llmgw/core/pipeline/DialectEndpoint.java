package io.llmgw.core.pipeline;

import io.llmgw.core.model.Usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.core.dialect.ClientDialect;
import io.llmgw.core.dialect.Passthrough;
import io.llmgw.core.dialect.RequestBodies;
import io.llmgw.core.dialect.RequestedModel;
import io.llmgw.core.dialect.Translation;
import io.llmgw.core.error.ErrorFormat;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.relay.Completion;
import io.llmgw.core.routing.Attempts;
import io.llmgw.core.routing.CanonicalRelay;
import io.llmgw.core.routing.ModelRouter;
import io.llmgw.core.routing.Route;
import io.llmgw.core.routing.TokenEstimate;
import io.llmgw.core.routing.UpstreamCalls;
import io.llmgw.core.spi.Deployment;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.web.ClientResponse;
import io.llmgw.core.web.Endpoint;
import io.llmgw.core.web.Exchange;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * The one request pipeline every dialect's routes share: read and check the body, route the model,
 * then pass the body through when the route's first upstream speaks the client's dialect — failing
 * over among such deployments only, since no other could take the body — or translate it through
 * the canonical model, failing over across the whole route. Between routing and the upstream call,
 * the {@link ModelFilter}s see the decoded request. The dialect supplies what differs.
 */
public final class DialectEndpoint implements Endpoint {
    private final ClientDialect dialect;
    private final ModelRouter router;
    private final UpstreamCalls calls;
    private final CanonicalRelay canonicalRelay;
    private final List<ModelFilter> filters;

    public DialectEndpoint(ClientDialect dialect, GatewayServices services) {
        this.dialect = dialect;
        this.filters = services.modelFilters();
        this.router = services.router();
        this.calls = services.calls();
        this.canonicalRelay = services.canonicalRelay();
    }

    @Override
    public Set<String> methods() {
        return dialect.methods();
    }

    @Override
    public String dialect() {
        return dialect.id().logName();
    }

    @Override
    public ErrorFormat errors() {
        return dialect.errors();
    }

    /** Refusing a request reveals nothing, so it needs no key (and a client probing for WebSockets gets its answer fast). */
    @Override
    public boolean authenticated(GatewayRequest request) {
        return dialect.refusal(request) == null;
    }

    @Override
    public void handle(Exchange exchange) {
        GatewayError refusal = dialect.refusal(exchange.request());
        if (refusal != null) {
            throw refusal.exception();
        }
        RequestContext ctx = exchange.ctx();
        ObjectNode body = RequestBodies.jsonObject(exchange.request());
        String model = dialect.model(body, exchange.pathParams());
        ctx.model(model);
        Route route = router.require(model);
        if (speaksDialect(route.primary())) {
            Passthrough passthrough = dialect.passthrough(body, exchange.request());
            Route native_ = route.only(this::speaksDialect);
            CallAnswers answers = CallAnswers.passedThrough(passthrough, () -> dialect.translate(body, model, route.primary(), ctx),
                    exchange.out());
            ModelCall call = new ModelCall(exchange, dialect.id(), model, native_, passthrough.stream(), passthrough.estimatedTokens(),
                    passthrough.requestedOutput(), null, answers);
            ModelFilter.run(filters, call, c -> passThrough(c.exchange(), passthrough, native_, answers));
        } else {
            Translation translation = dialect.translate(body, model, route.primary(), ctx);
            CanonicalRequest request = translation.request();
            CallAnswers answers = CallAnswers.translated(translation, exchange.out());
            Attempts.Estimate estimate = new Attempts.Estimate(TokenEstimate.of(request), request.maxOutputTokens());
            ModelCall call = new ModelCall(exchange, dialect.id(), model, route, request.stream(), estimate.tokens(),
                    request.maxOutputTokens(), request, answers);
            // the chain's last step reaches the translation through the answers, which let go of it once a stream commits
            ModelFilter.run(filters, call, c -> translate(c.exchange(), answers, route, estimate));
        }
    }

    private boolean speaksDialect(Deployment deployment) {
        return dialect.passesThroughTo(deployment.upstream());
    }

    private void translate(Exchange exchange, CallAnswers answers, Route route, Attempts.Estimate estimate) {
        ClientResponse out = exchange.out();
        Translation translation = answers.translation();
        Translation.Local local = answers.local();
        if (local != null) {
            out.sendJson(200, local.body(), local.headers());
        } else if (translation.request().stream()) {
            exchange.request().releaseBody();  // everything from here on reads the decoded request
            canonicalRelay.stream(translation.request(), estimate, route, exchange.credential(), exchange.ctx(), out,
                    answers.tapped(translation.streamEncoder(out)), letGo(exchange, answers, estimate.tokens()));
        } else {
            canonicalRelay.call(translation.request(), estimate, route, exchange.credential(), exchange.ctx(), out, Completion.then(answer -> {
                answers.whole(answer);
                out.sendJson(200, translation.body(answer), null);
            }));
        }
    }

    private void passThrough(Exchange exchange, Passthrough passthrough, Route route, CallAnswers answers) {
        RequestContext ctx = exchange.ctx();
        Attempts.Estimate estimate = new Attempts.Estimate(passthrough.estimatedTokens(), passthrough.requestedOutput());
        UpstreamCalls.CallFor<io.llmgw.core.spi.UpstreamCall> build = (deployment, condenseTo) ->
                deployment.upstream().passthrough(passthrough.body(deployment, condenseTo, ctx), deployment);
        RequestedModel requested = new RequestedModel(route.requestedModel(), ctx);
        if (passthrough.stream()) {
            calls.stream(route, estimate, exchange.credential(), ctx, exchange.out(), build,
                    call -> answers.tapped(passthrough.streamTranslator(requested, ctx)), letGo(exchange, answers, estimate.tokens()));
            return;
        }
        calls.call(route, estimate, exchange.credential(), ctx, exchange.out(), build, (call, bytes) -> bytes, Completion.then(answer -> {
            Json.TopLevel read = read(answer, passthrough.modelField());
            byte[] named = answer;
            if (read != null && read.string() != null && requested.replaces(read.string().text())) {
                named = requested.in(answer, read.string());  // the upstream's name is known before usage is priced
            }
            recordUsage(passthrough, read == null ? null : read.tree(), ctx);
            answers.whole(answer);
            exchange.out().sendJson(200, named, null);
        }));
    }

    /** The answer's model name and usage, read in one pass; null when the answer is not JSON (it goes on as sent). */
    private static Json.TopLevel read(byte[] answer, String modelField) {
        try {
            return Json.topLevel(answer, modelField, "usage");
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }

    /**
     * What a stream does at its commit point: lets go of the request — the client's bytes and
     * headers, the parsed body, the decoded request — which a stream would otherwise hold for as long
     * as it lasts (docs/architecture.md).
     */
    private static Runnable letGo(Exchange exchange, CallAnswers answers, int estimatedTokens) {
        return () -> {
            answers.release(estimatedTokens);
            exchange.request().release();
        };
    }

    private static void recordUsage(Passthrough passthrough, JsonNode usageField, RequestContext ctx) {
        try {
            Usage usage = passthrough.usage(usageField);
            if (usage != null) {
                ctx.usage(usage);
            }
        } catch (RuntimeException unreadable) {
            // passed on as the upstream sent it; only the log line lacks usage
        }
    }
}
