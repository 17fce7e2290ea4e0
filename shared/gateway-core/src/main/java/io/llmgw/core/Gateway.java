package io.llmgw.core;

import io.llmgw.core.admin.ConfigView;
import io.llmgw.core.admin.Health;
import io.llmgw.core.auth.Authenticator;
import io.llmgw.core.auth.Credential;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.dialect.ErrorFormat;
import io.llmgw.core.dialect.openai.ModelsEndpoint;
import io.llmgw.core.dialect.openai.chat.ChatCompletionsEndpoint;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.error.GatewayException;
import io.llmgw.core.http.Headers;
import io.llmgw.core.http.UpstreamClient;
import io.llmgw.core.protocol.openai.OpenAiErrors;
import io.llmgw.core.routing.ModelRouter;
import io.llmgw.core.routing.Relay;
import io.llmgw.core.stream.StreamSink;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.telemetry.RequestLog;
import io.llmgw.core.web.ClientGoneException;
import io.llmgw.core.web.ClientResponse;
import io.llmgw.core.web.HttpPolicy;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one entry point every platform calls: authenticates, picks the endpoint from the path,
 * and answers through the platform's {@link StreamSink}. Never throws; every failure becomes an
 * answer in the client's dialect (or an in-stream error once a stream started).
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    private static final Pattern CLIENT_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern AZURE_CHAT_PATH = Pattern.compile("/openai/deployments/([^/]+)/chat/completions");

    private final GatewayConfig config;
    private final Authenticator authenticator;
    private final HttpPolicy policy;
    private final ModelRouter router;
    private final UpstreamClient upstreamClient;
    private final ChatCompletionsEndpoint chat;
    private final long startedEpochSeconds = System.currentTimeMillis() / 1000;

    public Gateway(GatewayConfig config) {
        this.config = config;
        this.authenticator = new Authenticator(config.auth());
        this.policy = new HttpPolicy(config.corsAllowedOrigins());
        this.router = new ModelRouter(config);
        this.upstreamClient = new UpstreamClient();
        this.chat = new ChatCompletionsEndpoint(router, new Relay(upstreamClient));
    }

    public GatewayConfig config() {
        return config;
    }

    public void handle(GatewayRequest request, StreamSink sink) {
        RequestContext ctx = new RequestContext(requestId(request), System.nanoTime());
        ClientResponse out = new ClientResponse(sink, ctx, policy.commonHeaders(request.headers()));
        ErrorFormat errors = OpenAiErrors.INSTANCE;
        try {
            dispatch(request, ctx, out);
        } catch (GatewayException e) {
            answerError(out, errors, e.getCause(), e.error(), ctx);
        } catch (ClientGoneException e) {
            ctx.errorKind("client_disconnected");
            out.fail(e);
        } catch (RuntimeException e) {
            // A bug, not bad input: logged with its stack trace here, never shown to the client.
            LOG.error("unexpected failure handling request {}", ctx.requestId(), e);
            answerError(out, errors, e, GatewayError.of(ErrorKind.INTERNAL,
                    "The gateway failed to handle the request (request id " + ctx.requestId() + ")."), ctx);
        } finally {
            if (!out.finished()) {
                out.complete();
            }
            RequestLog.write(ctx, request.method(), request.path());
        }
    }

    private void dispatch(GatewayRequest request, RequestContext ctx, ClientResponse out) {
        String path = request.path().length() > 1 && request.path().endsWith("/")
                ? request.path().substring(0, request.path().length() - 1) : request.path();
        String method = request.method();
        if (method.equals("OPTIONS")) {
            preflight(request, out);
            return;
        }
        switch (path) {
            case "/" -> {
                allow(method, "GET", "HEAD");
                sendStatus(out, method, 200, Health.body(config, false));
            }
            case "/health" -> {
                allow(method, "GET", "HEAD");
                sendStatus(out, method, Health.ready(config) ? 200 : 503, Health.body(config, true));
            }
            case "/health/live" -> {
                allow(method, "GET", "HEAD");
                sendStatus(out, method, 200, "{\"status\":\"ok\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            case "/health/ready" -> {
                allow(method, "GET", "HEAD");
                sendStatus(out, method, Health.ready(config) ? 200 : 503, Health.body(config, false));
            }
            case "/config" -> {
                allow(method, "GET");
                if (!config.configEndpointEnabled()) {
                    throw notFound(method, path);
                }
                if (!authenticator.isGatewayKey(request.headers())) {
                    throw GatewayError.of(ErrorKind.AUTHENTICATION, "The configuration view needs a gateway key.",
                            "invalid_api_key").exception();
                }
                out.sendJson(200, ConfigView.render(config), null);
            }
            case "/v1/models", "/openai/v1/models" -> {
                allow(method, "GET");
                ctx.dialect("openai-models");
                ctx.clientKey(authenticator.authenticate(request.headers()).clientLabel());
                out.sendJson(200, ModelsEndpoint.list(router.listedModels(), startedEpochSeconds), null);
            }
            case "/v1/chat/completions", "/openai/v1/chat/completions" -> chat(request, null, ctx, out);
            default -> {
                var azure = AZURE_CHAT_PATH.matcher(path);
                if (azure.matches()) {
                    chat(request, java.net.URLDecoder.decode(azure.group(1), java.nio.charset.StandardCharsets.UTF_8), ctx, out);
                } else {
                    throw notFound(method, path);
                }
            }
        }
    }

    private void chat(GatewayRequest request, String pathModel, RequestContext ctx, ClientResponse out) {
        allow(request.method(), "POST");
        ctx.dialect(ChatCompletionsEndpoint.DIALECT);
        Credential credential = authenticate(request, ctx);
        chat.handle(request, pathModel, credential, ctx, out);
    }

    private Credential authenticate(GatewayRequest request, RequestContext ctx) {
        Credential credential = authenticator.authenticate(request.headers());
        ctx.clientKey(credential.clientLabel());
        if (request.bodyTooLarge()) {
            throw GatewayError.of(ErrorKind.REQUEST_TOO_LARGE, "The request body exceeds the limit of "
                    + GatewayRequest.MAX_BODY_BYTES / (1024 * 1024) + " MB.").exception();
        }
        return credential;
    }

    private void preflight(GatewayRequest request, ClientResponse out) {
        String origin = request.headers().first("origin");
        if (origin == null) {
            out.sendEmpty(204, Headers.of("allow", "GET, POST, HEAD, OPTIONS"));
        } else if (policy.originAllowed(origin)) {
            out.sendEmpty(204, policy.preflightHeaders(request.headers()));
        } else {
            throw GatewayError.of(ErrorKind.PERMISSION, "Origin not allowed.", "cors_origin_not_allowed").exception();
        }
    }

    private static void sendStatus(ClientResponse out, String method, int status, byte[] body) {
        out.sendJson(status, method.equals("HEAD") ? new byte[0] : body, null);
    }

    private static void allow(String method, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method) || (a.equals("GET") && method.equals("HEAD"))) {
                return;
            }
        }
        throw new GatewayError(ErrorKind.METHOD_NOT_ALLOWED, 405, "Method " + method + " is not allowed here; use "
                + String.join(" or ", allowed) + ".", "method_not_allowed", null, null,
                Headers.of("allow", String.join(", ", allowed))).exception();
    }

    private static GatewayException notFound(String method, String path) {
        return GatewayError.of(ErrorKind.NOT_FOUND, "Unknown route: " + method + " " + path, "unknown_url").exception();
    }

    private static void answerError(ClientResponse out, ErrorFormat format, Throwable cause, GatewayError error,
                                    RequestContext ctx) {
        ctx.errorKind(error.kind().name().toLowerCase(Locale.ROOT));
        try {
            if (!out.started()) {
                out.sendError(format, error);
            } else if (!out.finished()) {
                out.write(format.streamFrame(error));
                out.fail(cause != null ? cause : error.exception());
            }
        } catch (ClientGoneException gone) {
            out.fail(gone);
        }
    }

    private static String requestId(GatewayRequest request) {
        String fromClient = request.headers().first("x-request-id");
        if (fromClient != null && CLIENT_REQUEST_ID.matcher(fromClient).matches()) {
            return fromClient;
        }
        if (request.platformRequestId() != null) {
            return request.platformRequestId();
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "req_" + Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
    }

    @Override
    public void close() {
        upstreamClient.close();
    }
}
