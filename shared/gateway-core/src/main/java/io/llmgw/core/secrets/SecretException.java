package io.llmgw.core.secrets;

/** The gateway's secret could not be read or used; the message names the secret, the cause and the fix, never a value. */
public final class SecretException extends RuntimeException {
    public SecretException(String message) {
        super(message);
    }

    public SecretException(String message, Throwable cause) {
        super(message, cause);
    }
}
