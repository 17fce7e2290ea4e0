package io.llmgw.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.Gateway;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.Headers;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Usage;
import io.llmgw.core.spi.Dialect;
import io.llmgw.core.stream.BufferingSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Policies on decoded model requests: what they see, answering early in the client's dialect, and the finished request after it. */
class ModelFilterTest {
    private static final String KEY = "filters-gateway-key-0123456789abcdef0123";
    private static final GatewayConfig MOCK = ConfigLoader.load(Map.of("GATEWAY_MOCK", "1", "PROXY_API_KEY", KEY));

    private static BufferingSink post(Gateway gateway, String path, String body) {
        BufferingSink sink = new BufferingSink();
        gateway.handle(new GatewayRequest("POST", path, null, Headers.of("content-type", "application/json", "x-api-key", KEY,
                "anthropic-version", "2023-06-01"), body.getBytes(StandardCharsets.UTF_8), "127.0.0.1", null), sink);
        return sink;
    }

    @Test
    void aFilterSeesTheDecodedRequestAndTheFinishedOne() {
        List<ModelCall> seen = new ArrayList<>();
        List<Usage> after = new ArrayList<>();
        ModelFilter observe = (call, chain) -> {
            seen.add(call);
            chain.proceed(call);
            after.add(call.exchange().ctx().usage());
        };
        try (Gateway gateway = new Gateway(MOCK, Gateway.Options.defaults().withModelFilters(List.of(observe)))) {
            BufferingSink sink = post(gateway, "/v1/messages",
                    "{\"model\":\"claude-x\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}");
            assertThat(sink.status()).isEqualTo(200);
        }
        ModelCall call = seen.get(0);
        assertThat(call.dialect()).isEqualTo(Dialect.ANTHROPIC_MESSAGES);
        assertThat(call.model()).isEqualTo("claude-x");
        assertThat(call.route().configuredName()).isEqualTo("*");
        assertThat(call.exchange().credential().clientLabel()).isEqualTo("filter...0123");
        assertThat(call.estimatedTokens()).isPositive();
        assertThat(call.maxOutputTokens()).isEqualTo(50);
        assertThat(call.canonical()).isNotNull();  // the mock speaks chat: an Anthropic client is translated
        assertThat(after).hasSize(1);
        assertThat(after.get(0).outputTokens()).isPositive();
    }

    @Test
    void aFilterThatRefusesAnswersInTheClientsDialectAndNoUpstreamIsCalled() throws Exception {
        List<String> proceeded = new ArrayList<>();
        ModelFilter refuse = (call, chain) -> {
            throw new GatewayError(ErrorKind.RATE_LIMIT, 429, "Slow down, " + call.model() + ".", "rate_limit_exceeded", null,
                    Duration.ofSeconds(7), null).exception();
        };
        ModelFilter record = (call, chain) -> {
            proceeded.add(call.model());
            chain.proceed(call);
        };
        try (Gateway gateway = new Gateway(MOCK, Gateway.Options.defaults().withModelFilters(List.of(refuse, record)))) {
            BufferingSink anthropic = post(gateway, "/v1/messages",
                    "{\"model\":\"claude-x\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertThat(anthropic.status()).isEqualTo(429);
            assertThat(anthropic.headers().first("retry-after")).isEqualTo("7");
            JsonNode error = Json.parse(anthropic.body());
            assertThat(error.path("type").asText()).isEqualTo("error");
            assertThat(error.path("error").path("type").asText()).isEqualTo("rate_limit_error");

            BufferingSink chat = post(gateway, "/v1/chat/completions",
                    "{\"model\":\"gpt-x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertThat(chat.status()).isEqualTo(429);
            assertThat(Json.parse(chat.body()).path("error").path("message").asText()).isEqualTo("Slow down, gpt-x.");
        }
        assertThat(proceeded).isEmpty();
    }
}
