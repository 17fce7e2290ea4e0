package io.llmgw.core;

import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.testing.FakeUpstream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The configuration the gateway-level tests run on: one gateway key, every model name on one OpenAI-compatible upstream. */
final class OneUpstream {
    private OneUpstream() {}

    /** Written as a file in {@code dir} and loaded as a platform loads it ({@code GATEWAY_CONFIG}). */
    static GatewayConfig config(Path dir, String gatewayKey, FakeUpstream upstream) throws IOException {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, """
                auth: { mode: gateway, keys: ["%s"] }
                providers:
                  up: { type: openai, base_url: "%s/v1", api_key: sk-configured-upstream-key-000000 }
                models:
                  "*": { deployments: [ { provider: up } ] }
                """.formatted(gatewayKey, upstream.baseUrl()));
        return ConfigLoader.load(Map.of("GATEWAY_CONFIG", file.toString()));
    }
}
