package io.llmgw.core;

import io.llmgw.core.web.GatewayRequest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.http.Headers;
import io.llmgw.core.json.Json;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Draining before shutdown: readiness fails first, new model requests are refused in their dialect, liveness holds. */
class GatewayDrainingTest {
    private static final String KEY = "drain-gateway-key-0123456789abcdef012345";

    private FakeUpstream upstream;
    private Gateway gateway;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        upstream = FakeUpstream.start();
        upstream.handler(ChatScript.text("hello").handler());
        gateway = new Gateway(OneUpstream.config(dir, KEY, upstream));
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    private BufferingSink send(String method, String path, String body, String... headers) {
        BufferingSink sink = new BufferingSink();
        Headers all = Headers.of("content-type", "application/json", "authorization", "Bearer " + KEY);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            all.add(headers[i], headers[i + 1]);
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        gateway.handle(new GatewayRequest(method, path, null, all, bytes, null, null), sink);
        return sink;
    }

    private BufferingSink chat() {
        return send("POST", "/v1/chat/completions", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    }

    @Test
    void drainingFailsReadinessButNotLiveness() throws Exception {
        assertThat(send("GET", "/health/ready", null).status()).isEqualTo(200);

        gateway.draining(true);

        BufferingSink ready = send("GET", "/health/ready", null);
        assertThat(ready.status()).isEqualTo(503);
        assertThat(Json.parse(ready.body()).path("status").asText()).isEqualTo("draining");
        BufferingSink health = send("GET", "/health", null);
        assertThat(health.status()).isEqualTo(503);
        assertThat(Json.parse(health.body()).path("status").asText()).isEqualTo("draining");
        assertThat(send("GET", "/health/live", null).status()).isEqualTo(200);
    }

    @Test
    void newChatRequestsGetARetryable503InTheOpenAiShapeAndTheConnectionClosed() throws Exception {
        gateway.draining(true);

        BufferingSink refused = chat();

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.headers().first("retry-after")).isEqualTo("1");
        assertThat(refused.headers().first("connection")).isEqualTo("close");
        JsonNode error = Json.parse(refused.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("shutting_down");
        assertThat(error.path("message").asText()).contains("shutting down");
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void newMessagesRequestsGetAnthropicsOverloadedError() throws Exception {
        gateway.draining(true);

        BufferingSink refused = send("POST", "/v1/messages",
                "{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "anthropic-version", "2023-06-01");

        assertThat(refused.status()).isEqualTo(529);
        JsonNode body = Json.parse(refused.body());
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.path("error").path("type").asText()).isEqualTo("overloaded_error");
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void callingDrainingOffServesAgain() {
        gateway.draining(true);
        assertThat(chat().status()).isEqualTo(503);

        gateway.draining(false);

        assertThat(chat().status()).isEqualTo(200);
        assertThat(send("GET", "/health/ready", null).status()).isEqualTo(200);
    }
}
