package io.llmgw.core.upstream;

import java.net.ConnectException;

/** Connecting to the upstream took longer than the request's connect timeout. */
public final class ConnectTimeoutException extends ConnectException {
    public ConnectTimeoutException(String message) {
        super(message);
    }
}
