package io.llmgw.core.dialect.openai.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.GatewayRequest;
import io.llmgw.core.GatewayServices;
import io.llmgw.core.auth.Credential;
import io.llmgw.core.dialect.ErrorFormat;
import io.llmgw.core.dialect.ModelsEndpoint;
import io.llmgw.core.dialect.RequestBodies;
import io.llmgw.core.dialect.RequestedModel;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.protocol.openai.ChatUsage;
import io.llmgw.core.protocol.openai.OpenAiErrors;
import io.llmgw.core.routing.Attempts;
import io.llmgw.core.routing.CanonicalRelay;
import io.llmgw.core.routing.Condenser;
import io.llmgw.core.routing.Deployment;
import io.llmgw.core.routing.ModelRouter;
import io.llmgw.core.routing.Route;
import io.llmgw.core.routing.TokenEstimate;
import io.llmgw.core.routing.NativeCalls;
import io.llmgw.core.routing.NativeRelay;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.web.ClientResponse;
import io.llmgw.core.web.Endpoint;
import io.llmgw.core.web.Exchange;
import io.llmgw.core.web.Routes;
import java.io.IOException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/chat/completions} (and Azure's deployment path). Which path a request takes
 * follows the first deployment of its model's route: an upstream that speaks chat completions gets
 * the body passed through with minimal rewriting — every field the client sent (tools,
 * response_format, reasoning_effort, images, logprobs, seed, anything newer) reaches it untouched —
 * failing over among the route's chat-speaking deployments only; any other upstream is served by
 * translation through the canonical model, failing over across the whole route.
 */
public final class ChatCompletionsEndpoint implements Endpoint {
    public static final String DIALECT = "openai-chat";
    private static final String[] TOKEN_LIMIT_FIELDS = {"max_completion_tokens", "max_tokens"};
    private static final Pattern AZURE_PATH = Pattern.compile("/openai/deployments/(?<deployment>[^/]+)/chat/completions");

    /**
     * Test seam: while true, every request takes the translated path, as if no upstream spoke chat
     * completions. Lets the translated path run end to end against a chat upstream before a
     * provider that does not speak chat exists; nothing but tests sets it.
     */
    static volatile boolean translateEveryUpstream;

    private final ModelRouter router;
    private final NativeRelay nativeRelay;
    private final CanonicalRelay canonicalRelay;

    private ChatCompletionsEndpoint(GatewayServices services) {
        this.router = services.router();
        this.nativeRelay = new NativeRelay(services.relay(), services.attempts());
        this.canonicalRelay = services.canonicalRelay();
    }

    /** Chat Completions under OpenAI's paths, Azure's deployment path, and the models list. */
    public static void register(Routes routes, GatewayServices services) {
        ChatCompletionsEndpoint chat = new ChatCompletionsEndpoint(services);
        routes.add("/v1/chat/completions", chat);
        routes.add("/openai/v1/chat/completions", chat);
        routes.add(AZURE_PATH, chat, "deployment");
        ModelsEndpoint models = new ModelsEndpoint(services);
        routes.add("/v1/models", models);
        routes.add("/openai/v1/models", models);
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
        return OpenAiErrors.INSTANCE;
    }

    @Override
    public void handle(Exchange exchange) {
        String deployment = exchange.pathParams().get("deployment");
        handle(exchange.request(), deployment == null ? null : io.llmgw.core.http.PathEncoding.decode(deployment),
                exchange.credential(), exchange.ctx(), exchange.out());
    }

    /** @param pathModel the deployment named in an Azure-style path, which overrides the body's model */
    private void handle(GatewayRequest request, String pathModel, Credential credential, RequestContext ctx, ClientResponse out) {
        ObjectNode body = RequestBodies.jsonObject(request);
        ChatFields.BODY.check(body, "");
        String model = pathModel != null ? pathModel : RequestBodies.requiredText(body, "model");
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw GatewayError.of(ErrorKind.INVALID_REQUEST, "'messages' must be a non-empty array.", "invalid_value")
                    .withParam("messages").exception();
        }
        ctx.model(model);
        Route route = router.require(model);
        if (speaksChat(route.primary())) {
            passThrough(request, body, route.only(ChatCompletionsEndpoint::speaksChat), credential, ctx, out);
        } else {
            translate(body, model, route, credential, ctx, out);
        }
    }

    private static boolean speaksChat(Deployment deployment) {
        return !translateEveryUpstream && deployment.provider().type().speaksChatCompletions();
    }

    /** Through the canonical model, for upstreams that do not speak chat completions. */
    private void translate(ObjectNode body, String model, Route route, Credential credential, RequestContext ctx,
                           ClientResponse out) {
        CanonicalRequest request = ChatRequestDecoder.decode(body, model);
        if (request.stream()) {
            boolean clientWantsUsage = body.path("stream_options").path("include_usage").asBoolean(false);
            canonicalRelay.stream(request, route, credential, ctx, out, new ChatStreamEncoder(model, clientWantsUsage, out::write));
        } else {
            CanonicalResponse answer = canonicalRelay.call(request, route, credential, ctx);
            out.sendJson(200, ChatResponseEncoder.encode(answer, ChatEnvelope.mint(model)), null);
        }
    }

    /** The client's body, rewritten only where the deployment needs it, to chat-speaking upstreams. */
    private void passThrough(GatewayRequest request, ObjectNode body, Route route, Credential credential, RequestContext ctx,
                             ClientResponse out) {
        boolean stream = body.path("stream").asBoolean(false);
        boolean clientWantsUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        Attempts.Estimate estimate = new Attempts.Estimate(TokenEstimate.ofJsonBytes(request.body().length), requestedOutput(body));
        Attempts.Attempt<NativeCalls.Call> prepare = (deployment, condenseTo) -> call(body, deployment, condenseTo, stream, credential, ctx);
        RequestedModel requested = new RequestedModel(route.requestedModel(), ctx);
        if (stream) {
            nativeRelay.stream(route, estimate, ctx, out, prepare, () -> new ChatStreamPassthrough(clientWantsUsage, requested, ctx));
        } else {
            byte[] answer = nativeRelay.call(route, estimate, ctx, prepare);
            recordUsage(answer, ctx);
            out.sendJson(200, requested.in(answer, "model"), null);
        }
    }

    /** The body for one deployment: each attempt rewrites its own copy (model names and ceilings differ). */
    private static NativeCalls.Call call(ObjectNode clientBody, Deployment deployment, Integer condenseTo, boolean stream,
                                         Credential credential, RequestContext ctx) {
        ObjectNode body = clientBody.deepCopy();
        rewriteForUpstream(body, deployment, stream);
        if (condenseTo != null) {
            ctx.responseHeaders().set(Condenser.HEADER, "dropped-messages=" + Condenser.condenseChat(body, condenseTo));
        }
        return NativeCalls.chatCompletions(deployment, body, stream, credential, ctx.requestId());
    }

    private static Integer requestedOutput(ObjectNode body) {
        for (String field : TOKEN_LIMIT_FIELDS) {
            JsonNode limit = body.get(field);
            if (limit != null && limit.isInt()) {
                return limit.intValue();
            }
        }
        return null;
    }

    /**
     * The upstream model replaces the requested name; streams always ask for usage (so it can be
     * logged) — the client only sees it if it asked; token limits are clamped to the deployment's
     * configured ceiling.
     */
    private static void rewriteForUpstream(ObjectNode body, Deployment deployment, boolean stream) {
        body.put("model", deployment.upstreamModel());
        if (stream) {
            JsonNode options = body.get("stream_options");
            ObjectNode streamOptions = options instanceof ObjectNode o ? o : body.putObject("stream_options");
            streamOptions.put("include_usage", true);
        }
        Integer ceiling = deployment.maxOutputTokens();
        if (ceiling != null) {
            for (String field : TOKEN_LIMIT_FIELDS) {
                JsonNode limit = body.get(field);
                if (limit != null && limit.isNumber() && limit.longValue() > ceiling) {
                    body.put(field, ceiling);
                }
            }
        }
    }

    private static void recordUsage(byte[] answer, RequestContext ctx) {
        try {
            RequestContext.Usage usage = ChatUsage.read(Json.parse(answer).get("usage"));
            if (usage != null) {
                ctx.usage(usage);
            }
        } catch (IOException | RuntimeException e) {
            // Not JSON: passed on as the upstream sent it; only the log line lacks usage.
        }
    }
}
