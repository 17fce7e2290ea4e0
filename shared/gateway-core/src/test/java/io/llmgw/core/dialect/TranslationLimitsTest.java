package io.llmgw.core.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.config.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TranslationLimitsTest {
    private static GatewayConfig load(String yaml) throws Exception {
        Path file = Files.createTempFile("limits", ".yaml");
        Files.writeString(file, yaml);
        try {
            return ConfigLoader.load(Map.of("GATEWAY_CONFIG", file.toString()));
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void namesWhatEachTranslatedDialectLosesAndForWhichModels() throws Exception {
        String line = TranslationLimits.describe(load("""
                auth: { mode: client }
                providers:
                  azure: { type: azure-openai, base_url: "https://r.openai.azure.com" }
                  native: { type: openai, base_url: "https://api.openai.com/v1", responses: native }
                  claude: { type: anthropic }
                models:
                  gpt-4o: { deployments: [ { provider: azure } ] }
                  gpt-5: { deployments: [ { provider: native } ] }
                  "claude-*": { deployments: [ { provider: claude } ] }
                """));

        assertThat(line).startsWith("translated routes leave out what their upstream has no equivalent for (by design, not logged per "
                + "request): ")
                .contains("Responses clients of [gpt-4o, claude-*] lose hosted tools (web_search")
                .contains("Anthropic clients of [gpt-4o, gpt-5] lose server tools")
                .contains("Chat Completions clients of [claude-*] lose logprobs")
                .doesNotContain("chat-completions upstream");
    }

    @Test
    void nothingToSayWhenEveryRoutePassesThrough() throws Exception {
        assertThat(TranslationLimits.describe(load("""
                auth: { mode: client }
                providers:
                  native: { type: openai, base_url: "https://api.openai.com/v1", responses: native }
                models:
                  gpt-5: { deployments: [ { provider: native } ] }
                """))).contains("Anthropic clients of [gpt-5]").doesNotContain("Responses clients");
        // (A configuration with no models at all, which had nothing to say, no longer loads: the first-run check refuses it.)
    }
}
