package io.llmgw.core.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.json.Json;

/** Liveness and readiness: ready once the configuration is loaded and names at least one upstream. */
public final class Health {
    private Health() {}

    public static boolean ready(GatewayConfig config) {
        return config != null && config.hasUpstream();
    }

    public static byte[] body(GatewayConfig config, boolean includeDetails) {
        ObjectNode body = Json.object();
        boolean ready = ready(config);
        body.put("status", ready ? "ok" : "unavailable");
        if (includeDetails && config != null) {
            body.put("providers", config.providers().size());
            body.put("models", config.models().size());
        }
        return Json.bytes(body);
    }
}
