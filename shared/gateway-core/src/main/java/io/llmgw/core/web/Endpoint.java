package io.llmgw.core.web;

import io.llmgw.core.error.ErrorFormat;
import io.llmgw.core.protocol.openai.OpenAiErrors;
import java.util.Set;

/** One route's handler: its methods, its client dialect (for logs and errors), and whether it needs a key. */
public interface Endpoint {
    Set<String> methods();

    /** The client dialect name written to the request log. */
    String dialect();

    /** How its errors are written; OpenAI's format unless a client dialect has its own (the format most clients read). */
    default ErrorFormat errors() {
        return OpenAiErrors.INSTANCE;
    }

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
