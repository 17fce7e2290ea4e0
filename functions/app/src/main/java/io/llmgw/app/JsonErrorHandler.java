package io.llmgw.app;

import io.llmgw.core.Gateway;
import java.nio.ByteBuffer;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself, before the gateway's servlet (a request line, path or header it
 * cannot parse, headers over the size limit): the gateway's JSON in the dialect the path implies,
 * instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final String JSON = "application/json";
    private final Supplier<Gateway> gateway;

    JsonErrorHandler(Supplier<Gateway> gateway) {
        this.gateway = gateway;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = request.getAttribute(ERROR_STATUS) instanceof Integer code ? code : response.getStatus();
        if (status < 400) {
            status = HttpStatus.INTERNAL_SERVER_ERROR_500;
        }
        byte[] body = body(path(request), status);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    /** A message Jetty's parser refused before there was a request (no path is known yet). */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, JSON);
        return ByteBuffer.wrap(body("/", status));
    }

    private byte[] body(String path, int status) {
        return gateway.get().platformErrorBody(path, status, message(status));
    }

    private static String path(Request request) {
        try {
            String path = request.getHttpURI().getPath();  // still percent-encoded: a bad escape is why some requests are here
            return path == null || path.isEmpty() ? "/" : path;
        } catch (RuntimeException unparseable) {
            return "/";
        }
    }

    private static String message(int status) {
        return switch (status) {
            case 400 -> "The request could not be parsed as HTTP (bad request line, path or header).";
            case 408 -> "The request did not arrive in time.";
            case 413 -> "The request is larger than the gateway accepts.";
            case 431 -> "The request headers are larger than the gateway accepts.";
            case 505 -> "The HTTP version is not supported.";
            default -> status >= 500 ? "The gateway failed to handle the request." : "The request was refused (HTTP " + status + ").";
        };
    }
}
