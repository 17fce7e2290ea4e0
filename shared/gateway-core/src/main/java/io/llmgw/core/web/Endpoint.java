package io.llmgw.core.web;

import io.llmgw.core.error.ErrorFormat;
import java.util.Set;

/** One route's handler: its methods, its client dialect (for logs and errors), and whether it needs a key. */
public interface Endpoint {
    Set<String> methods();

    /** The client dialect name written to the request log. */
    String dialect();

    ErrorFormat errors();

    /** Whether the caller must authenticate before {@link #handle} runs (the credential is then in the exchange). */
    default boolean authenticated() {
        return true;
    }

    /** Whether this request must authenticate; endpoints that refuse some requests outright may exempt them. */
    default boolean authenticated(GatewayRequest request) {
        return authenticated();
    }

    void handle(Exchange exchange);
}
