package io.llmgw.app;

import io.llmgw.core.Gateway;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Supplier;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Errors Tomcat answers itself, before or around the gateway's servlet (a request line or header
 * it cannot parse, headers over the size limit, a servlet failure): the gateway's JSON in the
 * dialect the path implies, instead of Tomcat's HTML page.
 */
final class ContainerErrorValve extends ErrorReportValve {
    private final Supplier<Gateway> gateway;

    ContainerErrorValve(Supplier<Gateway> gateway) {
        this.gateway = gateway;
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String path = request.getDecodedRequestURI();
        if (path == null) {
            path = "/";
        }
        byte[] body = gateway.get().platformErrorBody(path, status, message(status));
        try {
            response.setContentType("application/json");
            response.setContentLength(body.length);
            OutputStream out = response.getOutputStream();
            out.write(body);
            out.flush();
        } catch (IOException | IllegalStateException e) {
            // the connection is gone or the response already has a writer; nothing more can be said
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
