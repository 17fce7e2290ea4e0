package io.llmgw.core;

import io.llmgw.core.admin.AdminRoutes;
import io.llmgw.core.auth.Authenticator;
import io.llmgw.core.auth.Credential;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.dialect.ErrorFormat;
import io.llmgw.core.dialect.openai.chat.ChatCompletionsEndpoint;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.error.GatewayException;
import io.llmgw.core.http.Headers;
import io.llmgw.core.http.UpstreamClient;
import io.llmgw.core.protocol.openai.OpenAiErrors;
import io.llmgw.core.routing.CanonicalRelay;
import io.llmgw.core.routing.ModelRouter;
import io.llmgw.core.routing.Relay;
import io.llmgw.core.stream.StreamSink;
import io.llmgw.core.telemetry.GatewayEvents;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.telemetry.RequestLog;
import io.llmgw.core.web.ClientGoneException;
import io.llmgw.core.web.ClientResponse;
import io.llmgw.core.web.Endpoint;
import io.llmgw.core.web.Exchange;
import io.llmgw.core.web.HttpPolicy;
import io.llmgw.core.web.Routes;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one entry point every platform calls: finds the endpoint for the path, authenticates, and
 * answers through the platform's {@link StreamSink}. Never throws; every failure becomes an
 * answer in the client's dialect (or an in-stream error once a stream started).
 */
public final class Gateway implements AutoCloseable {
    /**
     * Created on first use, not with the class: a platform whose cold start matters (Lambda) can
     * then initialise its logging backend off the request path.
     */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    }
    private static final Pattern CLIENT_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final GatewayConfig config;
    private final Authenticator authenticator;
    private final HttpPolicy policy;
    private final UpstreamClient upstreamClient;
    private final Routes routes = new Routes(OpenAiErrors.INSTANCE);
    private final GatewayEvents events;

    public Gateway(GatewayConfig config) {
        this(config, GatewayEvents.NONE);
    }

    public Gateway(GatewayConfig config, GatewayEvents events) {
        this.config = config;
        this.events = events;
        this.authenticator = new Authenticator(config.auth());
        this.policy = new HttpPolicy(config.corsAllowedOrigins());
        this.upstreamClient = new UpstreamClient();
        Relay relay = new Relay(upstreamClient, config.keepAlive());
        GatewayServices services = new GatewayServices(config, authenticator, new ModelRouter(config), relay,
                new CanonicalRelay(relay), System.currentTimeMillis() / 1000);
        AdminRoutes.register(routes, services);
        ChatCompletionsEndpoint.register(routes, services);
    }

    public GatewayConfig config() {
        return config;
    }

    public void handle(GatewayRequest request, StreamSink sink) {
        RequestContext ctx = new RequestContext(requestId(request), System.nanoTime());
        ctx.deadline(request.deadline());
        ClientResponse out = new ClientResponse(sink, ctx, policy.commonHeaders(request.headers()));
        String path = normalize(request.path());
        ErrorFormat errors = routes.errorsFor(path);
        try {
            Routes.Match match = request.method().equals("OPTIONS") ? null : routes.match(path);
            if (match != null) {
                errors = match.endpoint().errors();
                ctx.dialect(match.endpoint().dialect());
            }
            dispatch(request, path, match, ctx, out);
        } catch (GatewayException e) {
            signal(e.error(), ctx);
            answerError(out, errors, e, e.error(), ctx);
        } catch (ClientGoneException e) {
            ctx.errorKind("client_disconnected");
            out.fail(e);
        } catch (RuntimeException e) {
            // A bug, not bad input: logged with its stack trace here, never shown to the client.
            Log.LOG.error("unexpected failure handling request {}", ctx.requestId(), e);
            answerError(out, errors, e, GatewayError.of(ErrorKind.INTERNAL,
                    "The gateway failed to handle the request (request id " + ctx.requestId() + ")."), ctx);
        } finally {
            if (!out.finished()) {
                out.complete();
            }
            RequestLog.write(ctx, request.method(), request.path());
            try {
                events.requestCompleted(ctx);
            } catch (RuntimeException e) {
                Log.LOG.warn("request-completed hook failed for request {}", ctx.requestId(), e);  // metrics never break an answer
            }
        }
    }

    private void dispatch(GatewayRequest request, String path, Routes.Match match, RequestContext ctx, ClientResponse out) {
        if (request.method().equals("OPTIONS")) {
            preflight(request, out);
            return;
        }
        if (match == null) {
            throw GatewayError.of(ErrorKind.NOT_FOUND, "Unknown route: " + request.method() + " " + path, "unknown_url").exception();
        }
        Endpoint endpoint = match.endpoint();
        String method = request.method();
        if (!endpoint.methods().contains(method) && !(method.equals("HEAD") && endpoint.methods().contains("GET"))) {
            String allowed = String.join(", ", new TreeSet<>(endpoint.methods()));
            throw new GatewayError(ErrorKind.METHOD_NOT_ALLOWED, 405, "Method " + method + " is not allowed here; use " + allowed + ".",
                    "method_not_allowed", null, null, Headers.of("allow", allowed)).exception();
        }
        Credential credential = null;
        if (endpoint.authenticated()) {
            try {
                credential = authenticator.authenticate(request.headers());
            } catch (GatewayException e) {
                if (authenticator.presentsKey(request.headers())) {
                    events.unknownGatewayKey();  // perhaps a rotated key the platform has not loaded yet
                }
                throw e;
            }
            ctx.clientKey(credential.clientLabel());
        }
        if (request.bodyTooLarge()) {
            throw GatewayError.of(ErrorKind.REQUEST_TOO_LARGE, "The request body exceeds the limit of "
                    + GatewayRequest.MAX_BODY_BYTES / (1024 * 1024) + " MB.").exception();
        }
        endpoint.handle(new Exchange(request, match.pathParams(), credential, ctx, out));
    }

    private void signal(GatewayError error, RequestContext ctx) {
        if (error.kind() == ErrorKind.CREDENTIAL) {
            String upstream = ctx.upstream();
            events.upstreamCredentialRejected(upstream == null ? null : upstream.substring(0, upstream.indexOf('/')));
        }
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

    private static void answerError(ClientResponse out, ErrorFormat format, Throwable cause, GatewayError error, RequestContext ctx) {
        ctx.errorKind(error.kind().name().toLowerCase(Locale.ROOT));
        try {
            if (!out.started()) {
                out.sendError(format, error);
            } else if (!out.finished()) {
                out.write(format.streamFrame(error));
                out.fail(cause);
            }
        } catch (ClientGoneException gone) {
            out.fail(gone);
        }
    }

    private static String normalize(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
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
