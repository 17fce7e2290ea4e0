package io.llmgw.azure;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import com.microsoft.azure.functions.TraceContext;
import io.llmgw.core.Gateway;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.core.http.Headers;
import io.llmgw.core.stream.BufferingSink;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One invocation in the gateway's terms: the worker's request as a {@link GatewayRequest}, and the
 * buffered answer as the worker's response.
 */
final class FunctionExchange {
    /** W3C traceparent: the trace id is Application Insights' operation id. */
    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");
    /** Set by the platform from the body it actually sends. */
    private static final Set<String> NOT_RELAYED = Set.of("content-length", "transfer-encoding", "connection", "keep-alive");
    static final String CHUNKED_BODY_LOST = "The request body arrived empty: it was sent with Transfer-Encoding: chunked, "
            + "which the Azure Functions Java worker does not pass on. Send the body with a Content-Length "
            + "(the OpenAI and Anthropic SDKs do), or use the gateway's Container Apps deployment.";

    private final HttpRequestMessage<Optional<String>> request;
    private final GatewayRequest gatewayRequest;
    private final boolean chunkedBodyLost;

    private FunctionExchange(HttpRequestMessage<Optional<String>> request, GatewayRequest gatewayRequest, boolean chunkedBodyLost) {
        this.request = request;
        this.gatewayRequest = gatewayRequest;
        this.chunkedBodyLost = chunkedBodyLost;
    }

    /** @param deadline when upstream calls must end, so that an answer still goes out in time */
    static FunctionExchange of(HttpRequestMessage<Optional<String>> request, ExecutionContext context, Instant deadline) {
        Headers headers = new Headers();
        request.getHeaders().forEach(headers::add);
        Optional<String> text = request.getBody() == null ? Optional.empty() : request.getBody();
        byte[] body = text.map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(new byte[0]);
        String transferEncoding = headers.first("transfer-encoding");
        boolean chunkedBodyLost = body.length == 0 && transferEncoding != null
                && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked");
        GatewayRequest gatewayRequest = new GatewayRequest(request.getHttpMethod().name(), request.getUri().getRawPath(),
                request.getUri().getRawQuery(), headers, body.length > GatewayRequest.MAX_BODY_BYTES ? null : body,
                clientAddress(headers), operationId(context), deadline);
        return new FunctionExchange(request, gatewayRequest, chunkedBodyLost);
    }

    GatewayRequest request() {
        return gatewayRequest;
    }

    /**
     * The gateway's answer as the worker's response: status, headers (several values joined) and the
     * whole body. A 400 for a chunked body the worker dropped says why the body is empty, in the
     * error format of the client's dialect ({@code gateway} writes it): the gateway refused the empty
     * body (after authentication), but the reason is the platform's.
     */
    HttpResponseMessage respond(BufferingSink sink, Gateway gateway) {
        int status = sink.status() == 0 ? 500 : sink.status();
        HttpResponseMessage.Builder response = request.createResponseBuilder(HttpStatusType.custom(status));
        for (Map.Entry<String, List<String>> header : sink.headers().asMap().entrySet()) {
            if (!NOT_RELAYED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                response.header(header.getKey(), String.join(", ", header.getValue()));
            }
        }
        byte[] body = sink.body();
        if (chunkedBodyLost && status == 400) {
            body = gateway.platformErrorBody(gatewayRequest.path(), status, CHUNKED_BODY_LOST);
        }
        if (!gatewayRequest.method().equals("HEAD") && body.length > 0) {
            response.body(body);
        }
        return response.build();
    }

    /** The trace id of the invocation's W3C trace context (Application Insights' operation id), else the invocation id. */
    private static String operationId(ExecutionContext context) {
        TraceContext trace = context.getTraceContext();
        if (trace != null && trace.getTraceparent() != null) {
            Matcher m = TRACEPARENT.matcher(trace.getTraceparent().trim());
            if (m.matches()) {
                return m.group(1);
            }
        }
        return context.getInvocationId();
    }

    /** The first hop in {@code x-forwarded-for}, as Azure's front end sets it (an IPv4 address may carry a port). */
    private static String clientAddress(Headers headers) {
        String forwarded = headers.first("x-forwarded-for");
        if (forwarded == null || forwarded.isBlank()) {
            return null;
        }
        String first = forwarded.split(",", 2)[0].trim();
        return first.matches("[0-9.]+:[0-9]+") ? first.substring(0, first.indexOf(':')) : first;
    }
}
