package io.llmgw.core.web;

/** Writing to the client failed: it disconnected. Nothing more can be sent to it. */
public final class ClientGoneException extends RuntimeException {
    public ClientGoneException(Throwable cause) {
        super("client disconnected", cause, false, false);
    }
}
