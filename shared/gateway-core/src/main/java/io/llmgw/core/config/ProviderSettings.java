package io.llmgw.core.config;

import java.net.URI;
import java.util.Map;

/**
 * A provider type's own settings, read from its block by its factory; each type has its own
 * record. The gateway needs only these two things from any of them.
 */
public interface ProviderSettings {
    /**
     * Where the upstream is, for checks across providers (a client's key may reach only one upstream
     * host); null for an upstream that answers inside the gateway.
     */
    URI endpoint();

    /** The non-secret settings as configuration spells them, for {@code GET /config}. */
    Map<String, String> view();

    /**
     * Whether the gateway reaches the upstream with credentials of its own besides {@code api_key}
     * (a cloud role): like a configured key they decide the auth mode, and are never lent to callers
     * without a gateway key.
     */
    default boolean ambientCredentials() {
        return false;
    }
}
