package io.llmgw.core.error;

/** Carries a {@link GatewayError} out of deep code to the point that renders it. */
public final class GatewayException extends RuntimeException {
    private final GatewayError error;

    public GatewayException(GatewayError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public GatewayError error() {
        return error;
    }
}
