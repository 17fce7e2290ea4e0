package io.llmgw.app;

import io.llmgw.core.LiveGateway;

/**
 * A request that met an unknown gateway key or a refused upstream key asks for the secrets to be read
 * again (Key Vault): that runs after its answer went out, on a virtual thread of its own, so neither
 * that client nor the next waits for the store.
 */
final class SecretRefresh {
    private SecretRefresh() {}

    static void startIfRequested(LiveGateway gateway) {
        if (gateway.refreshRequested()) {
            Thread.ofVirtual().name("secret-refresh").start(gateway::refreshIfRequested);
        }
    }
}
