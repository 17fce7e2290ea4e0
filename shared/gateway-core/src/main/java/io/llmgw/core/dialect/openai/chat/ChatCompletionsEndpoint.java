package io.llmgw.core.dialect.openai.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.GatewayRequest;
import io.llmgw.core.GatewayServices;
import io.llmgw.core.auth.Credential;
import io.llmgw.core.dialect.ErrorFormat;
import io.llmgw.core.dialect.ModelsEndpoint;
import io.llmgw.core.dialect.RequestBodies;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.json.Json;
import io.llmgw.core.protocol.openai.ChatUsage;
import io.llmgw.core.protocol.openai.OpenAiErrors;
import io.llmgw.core.routing.Deployment;
import io.llmgw.core.routing.ModelRouter;
import io.llmgw.core.routing.Relay;
import io.llmgw.core.routing.NativeCalls;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.web.ClientResponse;
import io.llmgw.core.web.Endpoint;
import io.llmgw.core.web.Exchange;
import io.llmgw.core.web.Routes;
import java.io.IOException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/chat/completions} (and Azure's deployment path) in front of chat-completions
 * upstreams. Same dialect on both sides, so the body passes through with minimal rewriting and
 * every field the client sent — tools, response_format, reasoning_effort, images, logprobs,
 * seed, anything newer — reaches the upstream untouched.
 */
public final class ChatCompletionsEndpoint implements Endpoint {
    public static final String DIALECT = "openai-chat";
    private static final String[] TOKEN_LIMIT_FIELDS = {"max_completion_tokens", "max_tokens"};
    private static final Pattern AZURE_PATH = Pattern.compile("/openai/deployments/(?<deployment>[^/]+)/chat/completions");

    private final ModelRouter router;
    private final Relay relay;

    private ChatCompletionsEndpoint(ModelRouter router, Relay relay) {
        this.router = router;
        this.relay = relay;
    }

    /** Chat Completions under OpenAI's paths, Azure's deployment path, and the models list. */
    public static void register(Routes routes, GatewayServices services) {
        ChatCompletionsEndpoint chat = new ChatCompletionsEndpoint(services.router(), services.relay());
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
        handle(exchange.request(), deployment == null ? null : java.net.URLDecoder.decode(deployment, java.nio.charset.StandardCharsets.UTF_8),
                exchange.credential(), exchange.ctx(), exchange.out());
    }

    /** @param pathModel the deployment named in an Azure-style path, which overrides the body's model */
    private void handle(GatewayRequest request, String pathModel, Credential credential, RequestContext ctx, ClientResponse out) {
        ObjectNode body = RequestBodies.jsonObject(request);
        String model = pathModel != null ? pathModel : RequestBodies.requiredText(body, "model");
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw GatewayError.of(ErrorKind.INVALID_REQUEST, "'messages' must be a non-empty array.", "invalid_value")
                    .withParam("messages").exception();
        }
        ctx.model(model);
        Deployment deployment = router.require(model).primary();
        ctx.upstream(deployment.label());

        boolean stream = body.path("stream").asBoolean(false);
        boolean clientWantsUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        rewriteForUpstream(body, deployment, stream);

        NativeCalls.Call call = NativeCalls.chatCompletions(deployment, Json.bytes(body), stream, credential, ctx.requestId());
        if (stream) {
            relay.stream(call.request(), call.errors(), new ChatStreamPassthrough(clientWantsUsage, ctx), out, ctx);
        } else {
            byte[] answer = relay.call(call.request(), call.errors(), ctx);
            recordUsage(answer, ctx);
            out.sendJson(200, answer, null);
        }
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
