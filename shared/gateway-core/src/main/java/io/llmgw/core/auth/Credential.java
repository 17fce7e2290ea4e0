package io.llmgw.core.auth;

/**
 * The outcome of authenticating a request: which upstream credential to use, and who is calling.
 *
 * @param forwardedKey the client's own key to send upstream, or null to use the configured key
 * @param clientLabel  the presented key masked for logs (first 6 + last 4), or null
 * @param identity     who is calling (for limits, budgets, logs and metrics), or null when nobody authenticated
 */
public record Credential(String forwardedKey, String clientLabel, Identity identity) {
    public boolean usesConfiguredKey() {
        return forwardedKey == null;
    }
}
