package io.llmgw.core.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.http.Headers;
import io.llmgw.core.json.Json;
import io.llmgw.core.spi.Deployment;
import io.llmgw.core.spi.Dialect;
import io.llmgw.core.spi.NativeBody;
import io.llmgw.core.spi.Upstreams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where each provider type serves the Responses API for {@code responses: native}. */
class ResponsesUriTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "openai       | base_url: 'https://api.openai.com/v1'                                   | https://api.openai.com/v1/responses",
        "openai       | chat_completions_url: 'http://127.0.0.1:9/x/v1/chat/completions'        | http://127.0.0.1:9/x/v1/responses",
        "azure-openai | base_url: 'https://a.openai.azure.com', api_version: v1                  | https://a.openai.azure.com/openai/v1/responses",
        "azure-openai | base_url: 'https://a.openai.azure.com/openai/v1'                        | https://a.openai.azure.com/openai/v1/responses",
        "azure-openai | base_url: 'https://a.openai.azure.com', api_version: preview             | https://a.openai.azure.com/openai/v1/responses?api-version=preview",
        "azure-openai | base_url: 'https://a.openai.azure.com/openai', api_version: 2025-04-01-preview | https://a.openai.azure.com/openai/responses?api-version=2025-04-01-preview",
    })
    void responsesUri(String type, String fields, String expected) throws IOException {
        Path file = Files.writeString(dir.resolve("c.yaml"), "providers: { p: { type: " + type + ", " + fields + ", responses: native } }\n"
                + "models: { '*': { deployments: [{ provider: p }] } }");
        GatewayConfig config = ConfigLoader.load(Map.of("GATEWAY_CONFIG", file.toString()));
        GatewayConfig.Provider provider = config.providers().get("p");

        NativeBody body = new NativeBody(Dialect.RESPONSES, false, Json.object().put("model", "dep"), null, false, new Headers(), "req_1");
        assertThat(new Upstreams(config).get("p").passthrough(body, new Deployment(provider, "dep", null, null)).request().uri())
                .hasToString(expected);
    }
}
