package io.llmgw.core.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.Gateway;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.http.Headers;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole answer passed through is priced by the model the upstream reports when neither the
 * requested name nor the deployment's has a price: the deployment here names a house alias the
 * built-in table does not know, and the upstream answers as gpt-4o-mini.
 */
class ReportedModelPriceTest {
    private static final String KEY = "reported-price-key-0123456789abcdef01234";

    private FakeUpstream upstream;
    private Gateway gateway;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        upstream = FakeUpstream.start().handler(ChatScript.text("hi").model("gpt-4o-mini-2024-07-18").usage(1_000_000, 1_000_000).handler());
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, """
                auth: { mode: gateway, keys: ["%s"] }
                providers:
                  up: { type: openai, base_url: "%s/v1", api_key: sk-configured-upstream-key-000000 }
                models:
                  house: { deployments: [ { provider: up, model: house-alias } ] }
                """.formatted(KEY, upstream.baseUrl()));
        gateway = new Gateway(ConfigLoader.load(Map.of("GATEWAY_CONFIG", file.toString())), Gateway.Options.defaults());
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void aWholeAnswerIsPricedByTheReportedModel() {
        BufferingSink sink = new BufferingSink();
        gateway.handle(new GatewayRequest("POST", "/v1/chat/completions", null,
                Headers.of("content-type", "application/json", "authorization", "Bearer " + KEY),
                "{\"model\":\"house\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8),
                null, null), sink);
        assertThat(sink.status()).isEqualTo(200);
        assertThat(sink.bodyText()).contains("\"model\":\"house\"");
        // a million tokens each way at gpt-4o-mini's 0.15 and 0.60 dollars per million
        assertThat(sink.headers().first(CostFilter.HEADER)).isEqualTo("0.750000");
    }
}
