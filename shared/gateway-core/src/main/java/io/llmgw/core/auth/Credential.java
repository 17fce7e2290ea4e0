package io.llmgw.core.auth;

/**
 * The outcome of authenticating a request: which upstream credential to use.
 *
 * @param forwardedKey the client's own key to send upstream, or null to use the configured key
 * @param clientLabel  the presented key masked for logs (first 6 + last 4), or null
 */
public record Credential(String forwardedKey, String clientLabel) {
    public boolean usesConfiguredKey() {
        return forwardedKey == null;
    }
}
