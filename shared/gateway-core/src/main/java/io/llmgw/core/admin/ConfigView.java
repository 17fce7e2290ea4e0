package io.llmgw.core.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.json.Json;

/** The effective configuration as JSON for {@code GET /config}, every secret redacted. */
public final class ConfigView {
    static final String REDACTED = "[redacted]";

    private ConfigView() {}

    public static byte[] render(GatewayConfig config) {
        ObjectNode root = Json.object();
        root.putObject("server").put("port", config.port());
        ObjectNode auth = root.putObject("auth");
        auth.put("mode", config.auth().mode().configName());
        ArrayNode keys = auth.putArray("keys");
        config.auth().keys().forEach(k -> keys.add(REDACTED));
        ArrayNode headers = auth.putArray("header");
        config.auth().headers().forEach(headers::add);
        if (config.access().jwt() != null) {
            var jwt = config.access().jwt();
            ObjectNode node = auth.putObject("jwt");
            node.put("issuer", jwt.issuer());
            jwt.audiences().forEach(node.putArray("audience")::add);
            node.put("jwks_url", jwt.jwksUrl().toString());
            jwt.algorithms().forEach(node.putArray("algorithms")::add);
            node.put("clock_skew", jwt.clockSkew().toSeconds() + "s");
            node.put("identity_claim", jwt.identityClaim());
            node.put("team_claim", jwt.teamClaim());
        }
        ArrayNode origins = root.putObject("cors").putArray("allowed_origins");
        config.corsAllowedOrigins().forEach(origins::add);
        root.putObject("admin").put("config_endpoint", config.configEndpointEnabled()).put("public_metrics", config.publicMetrics());
        root.putObject("upstream").put("keep_alive", config.keepAlive().toMillis() + "ms");
        ObjectNode providers = root.putObject("providers");
        config.providers().forEach((name, p) -> {
            ObjectNode node = providers.putObject(name);
            node.put("type", p.type());
            p.settings().view().forEach(node::put);
            node.put("api_key", p.apiKey() == null ? null : REDACTED);
            node.put("timeout", p.timeout().toMillis() + "ms");
            node.put("connect_timeout", p.connectTimeout().toMillis() + "ms");
        });
        ObjectNode models = root.putObject("models");
        config.models().forEach(m -> {
            ArrayNode deployments = models.putObject(m.name()).putArray("deployments");
            m.deployments().forEach(d -> {
                ObjectNode node = deployments.addObject();
                node.put("provider", d.provider());
                node.put("model", d.model());
                if (d.maxOutputTokens() != null) {
                    node.put("max_output_tokens", d.maxOutputTokens());
                }
                if (d.reasoning() != null) {
                    node.put("reasoning", d.reasoning());
                }
            });
        });
        var cache = config.cache();
        root.putObject("cache").put("enabled", cache.enabled()).put("any_route_or_key", cache.anyEnabled())
                .put("ttl", cache.ttl().toSeconds() + "s").put("max_entry_bytes", cache.maxEntryBytes())
                .put("max_total_bytes", cache.maxTotalBytes()).put("tool_calls", cache.toolCalls()).put("per_key", cache.perKey())
                .put("encryption_key", cache.encryptionKey() == null ? null : REDACTED);
        var stored = config.responsesStore();
        root.putObject("responses_store").put("enabled", stored.enabled()).put("ttl", stored.ttl().toSeconds() + "s")
                .put("encryption_key", stored.encryptionKey() == null ? null : REDACTED).put("max_bytes", stored.maxBytes());
        return Json.bytes(root);
    }
}
