package io.llmgw.core.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.core.Gateway;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.core.telemetry.Metrics;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Finding 4/5 of the hardening issue: an {@link OutOfMemoryError} on the request path (injected
 * where the attempt loop reports an attempt's outcome) is a 500 in the client's own JSON, the
 * request-completed hook still runs, and the process then reports itself dead on
 * {@code /health/live} so the platform replaces it. Before the fix the error escaped
 * {@code Gateway.handle} and liveness kept answering 200.
 */
class FatalErrorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String MESSAGES = "{\"model\":\"claude-x\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private final List<Integer> finished = new CopyOnWriteArrayList<>();
    private FakeUpstream upstream;
    private String yaml;
    private CoreGateway core;

    @BeforeEach
    void start() {
        upstream = FakeUpstream.start();
        upstream.handler(ChatScript.text("fine").handler());
        yaml = """
                auth: { mode: gateway, keys: ["${KEY}"] }
                providers:
                  up: { type: openai, base_url: "%s/v1", api_key: "${UP_KEY}" }
                models:
                  "*": { deployments: [ { provider: up } ] }
                routing: { retries: 0 }
                """.formatted(upstream.baseUrl());
        Metrics exhausted = new Metrics() {
            @Override
            public void attempt(String provider, String deployment, String outcome) {
                throw new OutOfMemoryError("Java heap space (injected by the test)");
            }

            @Override
            public void requestFinished(RequestContext ctx) {
                finished.add(ctx.status());
            }
        };
        core = new CoreGateway(yaml, Gateway.Options.defaults().withMetrics(exhausted));
    }

    @AfterEach
    void stop() {
        core.close();
        upstream.close();
    }

    /** The request through {@code Gateway.handle}; an error escaping it fails the test (JUnit would otherwise abort the run on an OOM). */
    private BufferingSink answered(String path, String body) {
        try {
            return core.post(path, body);
        } catch (Throwable escaped) {
            throw new AssertionError("Gateway.handle let " + escaped.getClass().getSimpleName() + " escape instead of answering");
        }
    }

    @Test
    void anOutOfMemoryErrorIsA500InTheClientsDialectAndLivenessFailsAfterwards() throws Exception {
        assertThat(core.send("GET", "/health/live", null).status()).as("alive before").isEqualTo(200);

        BufferingSink chat = answered("/v1/chat/completions", CHAT);
        assertThat(chat.status()).isEqualTo(500);
        JsonNode openAi = JSON.readTree(chat.body());
        assertThat(openAi.path("error").path("message").asText()).contains("request id").doesNotContain("OutOfMemoryError", "heap");
        assertThat(chat.headers().first("content-type")).startsWith("application/json");

        BufferingSink messages = answered("/v1/messages", MESSAGES);
        assertThat(messages.status()).isEqualTo(500);
        JsonNode anthropic = JSON.readTree(messages.body());
        assertThat(anthropic.path("type").asText()).isEqualTo("error");  // Anthropic's error envelope, not OpenAI's
        assertThat(anthropic.path("error").path("type").asText()).isEqualTo("api_error");
        assertThat(anthropic.path("error").path("message").asText()).isNotBlank();

        assertThat(upstream.requests()).as("the error struck after the upstream answered").hasSize(2);
        assertThat(finished).as("request-completed hook, with the status the client got").containsExactly(200, 500, 500);

        BufferingSink live = core.send("GET", "/health/live", null);
        assertThat(live.status()).isEqualTo(503);
        assertThat(JSON.readTree(live.body()).path("reason").asText()).isEqualTo("OutOfMemoryError");
        try (CoreGateway fresh = new CoreGateway(yaml)) {
            assertThat(fresh.send("GET", "/health/live", null).status()).as("a fresh gateway is alive").isEqualTo(200);
        }
    }
}
