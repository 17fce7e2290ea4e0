package io.llmgw.core.routing;

import io.llmgw.core.spi.Deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.config.load.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Claude Code routing: haiku background calls to a small deployment, other claude-* names to the main one. */
class ClaudeModelRoutingTest {
    @Test
    void globsRouteClaudeCodeModelNamesInFileOrder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, """
                auth: { mode: gateway, keys: ["claude-routing-test-key-0123456789abcdef"] }
                providers:
                  azure-east: { type: azure-openai, base_url: "https://example.openai.azure.com", api_key: "k" }
                models:
                  "claude-*haiku*": { deployments: [ { provider: azure-east, model: gpt-4o-mini } ] }
                  "claude-*": { deployments: [ { provider: azure-east, model: gpt-4.1, max_output_tokens: 32768 } ] }
                  "*": { deployments: [ { provider: azure-east, model: gpt-4o } ] }
                """);
        ModelRouter router = new ModelRouter(ConfigLoader.load(Map.of("GATEWAY_CONFIG", file.toString())));

        assertThat(router.route("claude-haiku-4-5-20251001").orElseThrow().primary().upstreamModel()).isEqualTo("gpt-4o-mini");
        assertThat(router.route("claude-3-5-haiku-latest").orElseThrow().primary().upstreamModel()).isEqualTo("gpt-4o-mini");
        Deployment main = router.route("claude-opus-4-8").orElseThrow().primary();
        assertThat(main.upstreamModel()).isEqualTo("gpt-4.1");
        assertThat(main.maxOutputTokens()).isEqualTo(32768);
        assertThat(router.route("claude-sonnet-4-6").orElseThrow().primary().upstreamModel()).isEqualTo("gpt-4.1");
        assertThat(router.route("gpt-4o").orElseThrow().primary().upstreamModel()).isEqualTo("gpt-4o");
    }
}
