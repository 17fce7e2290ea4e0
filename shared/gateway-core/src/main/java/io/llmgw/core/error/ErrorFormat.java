package io.llmgw.core.error;

/** How one client dialect writes an error: as a response body, and as an in-stream event. */
public interface ErrorFormat {
    /** The HTTP status this dialect uses for the error (e.g. Anthropic answers overload with 529). */
    default int status(GatewayError error) {
        return error.status();
    }

    /** The JSON body of an error response sent before any stream started. */
    byte[] body(GatewayError error);

    /** A complete SSE frame ending a stream that already started. */
    byte[] streamFrame(GatewayError error);
}
