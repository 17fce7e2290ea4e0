package io.llmgw.azure;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.llmgw.azure.telemetry.InvocationLog;
import io.llmgw.core.LiveGateway;
import io.llmgw.core.stream.BufferingSink;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * One HTTP trigger per gateway route, all answered by {@link LiveGateway#handle} into a
 * {@link BufferingSink}: the Java worker cannot stream a response, so a streaming request gets its
 * complete SSE body at once. Auth level is anonymous: the gateway's own keys protect every model
 * route. Methods are not restricted per trigger, so a wrong method gets the gateway's 405 in the
 * client's dialect rather than the host's bare 404.
 */
public class GatewayFunctions {
    /**
     * Azure's front end answers 504 when a response has not started after 230 s; ending upstream
     * calls 5 s before that lets the client read a timeout error in its own dialect instead.
     */
    static final Duration RESPONSE_LIMIT = Duration.ofSeconds(225);
    /** Refreshes run after the response that asked for them, off the request's thread. */
    static final Executor REFRESH_IN_BACKGROUND = task -> Thread.ofVirtual().name("secret-refresh").start(task);

    private final LiveGateway gateway;
    private final Executor refresher;

    public GatewayFunctions(LiveGateway gateway, Executor refresher) {
        this.gateway = gateway;
        this.refresher = refresher;
    }

    /** OpenAI Chat Completions. */
    @FunctionName("chatCompletions")
    public HttpResponseMessage chatCompletions(
            @HttpTrigger(name = "request", route = "v1/chat/completions", authLevel = AuthorizationLevel.ANONYMOUS)
            HttpRequestMessage<Optional<String>> request, ExecutionContext context) {
        return serve(request, context);
    }

    /** Azure OpenAI's v1 path. */
    @FunctionName("azureV1ChatCompletions")
    public HttpResponseMessage azureV1ChatCompletions(
            @HttpTrigger(name = "request", route = "openai/v1/chat/completions", authLevel = AuthorizationLevel.ANONYMOUS)
            HttpRequestMessage<Optional<String>> request, ExecutionContext context) {
        return serve(request, context);
    }

    /** Azure OpenAI's deployment path; the deployment is the model name. */
    @FunctionName("azureDeploymentChatCompletions")
    public HttpResponseMessage azureDeploymentChatCompletions(
            @HttpTrigger(name = "request", route = "openai/deployments/{deployment}/chat/completions", authLevel = AuthorizationLevel.ANONYMOUS)
            HttpRequestMessage<Optional<String>> request, ExecutionContext context) {
        return serve(request, context);
    }

    /** OpenAI Responses (Codex CLI, the OpenAI SDKs). */
    @FunctionName("responses")
    public HttpResponseMessage responses(
            @HttpTrigger(name = "request", route = "v1/responses", authLevel = AuthorizationLevel.ANONYMOUS)
            HttpRequestMessage<Optional<String>> request, ExecutionContext context) {
        return serve(request, context);
    }

    @FunctionName("azureV1Responses")
    public HttpResponseMessage azureV1Responses(
            @HttpTrigger(name = "request", route = "openai/v1/responses", authLevel = AuthorizationLevel.ANONYMOUS)
            HttpRequestMessage<Optional<String>> request, ExecutionContext context) {
        return serve(request, context);
    }

    @FunctionName("azureResponses")
    public HttpResponseMessage azureResponses(
            @HttpTrigger(name = "request", route = "openai/responses", authLevel = AuthorizationLevel.ANONYMOUS)
            HttpRequestMessage<Optional<String>> request, ExecutionContext context) {
        return serve(request, context);
    }

    /** Anthropic Messages (Claude Code, the Anthropic SDKs). */
    @FunctionName("messages")
    public HttpResponseMessage messages(
            @HttpTrigger(name = "request", route = "v1/messages", authLevel = AuthorizationLevel.ANONYMOUS)
            HttpRequestMessage<Optional<String>> request, ExecutionContext context) {
        return serve(request, context);
    }

    @FunctionName("countTokens")
    public HttpResponseMessage countTokens(
            @HttpTrigger(name = "request", route = "v1/messages/count_tokens", authLevel = AuthorizationLevel.ANONYMOUS)
            HttpRequestMessage<Optional<String>> request, ExecutionContext context) {
        return serve(request, context);
    }

    @FunctionName("models")
    public HttpResponseMessage models(
            @HttpTrigger(name = "request", route = "v1/models", authLevel = AuthorizationLevel.ANONYMOUS)
            HttpRequestMessage<Optional<String>> request, ExecutionContext context) {
        return serve(request, context);
    }

    @FunctionName("azureV1Models")
    public HttpResponseMessage azureV1Models(
            @HttpTrigger(name = "request", route = "openai/v1/models", authLevel = AuthorizationLevel.ANONYMOUS)
            HttpRequestMessage<Optional<String>> request, ExecutionContext context) {
        return serve(request, context);
    }

    @FunctionName("health")
    public HttpResponseMessage health(
            @HttpTrigger(name = "request", route = "health", authLevel = AuthorizationLevel.ANONYMOUS)
            HttpRequestMessage<Optional<String>> request, ExecutionContext context) {
        return serve(request, context);
    }

    @FunctionName("healthLive")
    public HttpResponseMessage healthLive(
            @HttpTrigger(name = "request", route = "health/live", authLevel = AuthorizationLevel.ANONYMOUS)
            HttpRequestMessage<Optional<String>> request, ExecutionContext context) {
        return serve(request, context);
    }

    @FunctionName("healthReady")
    public HttpResponseMessage healthReady(
            @HttpTrigger(name = "request", route = "health/ready", authLevel = AuthorizationLevel.ANONYMOUS)
            HttpRequestMessage<Optional<String>> request, ExecutionContext context) {
        return serve(request, context);
    }

    @FunctionName("healthProviders")
    public HttpResponseMessage healthProviders(
            @HttpTrigger(name = "request", route = "health/providers", authLevel = AuthorizationLevel.ANONYMOUS)
            HttpRequestMessage<Optional<String>> request, ExecutionContext context) {
        return serve(request, context);
    }

    @FunctionName("config")
    public HttpResponseMessage config(
            @HttpTrigger(name = "request", route = "config", authLevel = AuthorizationLevel.ANONYMOUS)
            HttpRequestMessage<Optional<String>> request, ExecutionContext context) {
        return serve(request, context);
    }

    /** Everything else: HEAD and GET / (Claude Code probes the base URL) and unknown paths, which get the gateway's 404 in the client's dialect. */
    @FunctionName("fallback")
    public HttpResponseMessage fallback(
            @HttpTrigger(name = "request", route = "{*path}", authLevel = AuthorizationLevel.ANONYMOUS)
            HttpRequestMessage<Optional<String>> request, ExecutionContext context) {
        return serve(request, context);
    }

    private HttpResponseMessage serve(HttpRequestMessage<Optional<String>> request, ExecutionContext context) {
        FunctionExchange exchange = FunctionExchange.of(request, context, Instant.now().plus(RESPONSE_LIMIT));
        BufferingSink sink = new BufferingSink();
        try (InvocationLog ignored = InvocationLog.bind(context, exchange.request().platformRequestId())) {
            gateway.handle(exchange.request(), sink);
        }
        if (gateway.refreshRequested()) {
            refresher.execute(gateway::refreshIfRequested);
        }
        return exchange.respond(sink, gateway.current());
    }
}
