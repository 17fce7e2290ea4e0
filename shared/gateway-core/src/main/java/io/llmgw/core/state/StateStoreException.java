package io.llmgw.core.state;

/** The state store could not be reached or did not answer in time; what a policy does then is its fail-open or fail-closed choice. */
public final class StateStoreException extends RuntimeException {
    public StateStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
