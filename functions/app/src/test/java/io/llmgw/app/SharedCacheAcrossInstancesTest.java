package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.state.dynamodb.LocalStateTable;
import io.llmgw.testing.AnthropicStreams;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.ChatStreams;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.LocalDynalite;
import io.llmgw.testing.LocalRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway processes on one state store share the response cache: what one asked the upstream,
 * the other answers from the store — to a chat client and an Anthropic client, streamed or not —
 * without calling the upstream again. On the in-memory store each process has a cache of its own.
 */
class SharedCacheAcrossInstancesTest {
    private static final String KEY = "cache-admin-key-0123456789abcdef01234567";
    private static final String CHAT = "{\"model\":\"gpt-4o\",\"stream\":%s,\"messages\":[{\"role\":\"user\",\"content\":\"Shared?\"}]}";
    private static final String MESSAGES = "{\"model\":\"gpt-4o\",\"stream\":%s,\"max_tokens\":100,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Shared, in Anthropic's words?\"}]}";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void twoProcessesOnOneRedisShareHits() throws Exception {
        try (LocalRedis redis = LocalRedis.start()) {
            assertShared("state: { store: redis, url: \"" + redis.url() + "\", timeout: 10s }\n");
        }
    }

    @Test
    void twoProcessesOnOneDynamoDbTableShareHits() throws Exception {
        try (LocalDynalite dynalite = LocalDynalite.start()) {
            LocalStateTable.create(dynalite.endpoint(), "gateway-state");
            assertShared("state: { store: dynamodb, table: gateway-state, region: us-east-1, endpoint: \"" + dynalite.endpoint()
                    + "\", timeout: 10s }\n");
        }
    }

    @Test
    void inMemoryEachProcessHasItsOwnCache() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start();
             GatewayProcesses gateways = new GatewayProcesses(config(upstream, ""), dir, 2)) {
            upstream.handler(ChatScript.text("Kept apart.").handler());
            assertThat(cache(post(gateways.ports[0], "/v1/chat/completions", CHAT.formatted(false)))).isEqualTo("miss");
            assertThat(cache(post(gateways.ports[1], "/v1/chat/completions", CHAT.formatted(false)))).isEqualTo("miss");
            assertThat(cache(post(gateways.ports[1], "/v1/chat/completions", CHAT.formatted(false)))).isEqualTo("hit");
            assertThat(upstream.requests()).hasSize(2);
        }
    }

    private void assertShared(String state) throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start();
             GatewayProcesses gateways = new GatewayProcesses(config(upstream, state), dir, 2)) {
            upstream.handler(ChatScript.text("One answer for both instances.").usage(9, 6).handler());
            int first = gateways.ports[0];
            int second = gateways.ports[1];

            HttpResponse<String> miss = post(first, "/v1/chat/completions", CHAT.formatted(false));
            HttpResponse<String> hit = post(second, "/v1/chat/completions", CHAT.formatted(false));
            HttpResponse<String> streamed = post(second, "/v1/chat/completions", CHAT.formatted(true));
            assertThat(cache(miss)).isEqualTo("miss");
            assertThat(cache(hit)).isEqualTo("hit");
            assertThat(cache(streamed)).isEqualTo("hit");
            assertThat(hit.body()).contains("One answer for both instances.");
            assertThat(ChatStreams.check(streamed.body(), false).content()).isEqualTo("One answer for both instances.");

            HttpResponse<String> streamedMiss = post(second, "/v1/messages", MESSAGES.formatted(true));
            HttpResponse<String> wholeHit = post(first, "/v1/messages", MESSAGES.formatted(false));
            assertThat(cache(streamedMiss)).isEqualTo("miss");
            assertThat(cache(wholeHit)).isEqualTo("hit");
            assertThat(AnthropicStreams.check(streamedMiss.body()).blocks().get(0).text()).isEqualTo("One answer for both instances.");
            assertThat(wholeHit.body()).contains("One answer for both instances.");

            assertThat(upstream.requests()).as("the upstream was asked once per question").hasSize(2);
        }
    }

    private Path config(FakeUpstream upstream, String state) throws Exception {
        Path config = dir.resolve("gateway-" + System.nanoTime() + ".yaml");
        Files.writeString(config, """
                auth: { keys: ["%s"] }
                providers:
                  chat: { type: openai, base_url: "%s/v1", api_key: sk-upstream-0123456789 }
                models:
                  gpt-4o: { deployments: [ { provider: chat } ] }
                cache: { enabled: true, ttl: 10m }
                """.formatted(KEY, upstream.baseUrl()) + state);
        return config;
    }

    private HttpResponse<String> post(int port, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("authorization", "Bearer " + KEY).header("content-type", "application/json").header("anthropic-version", "2023-06-01")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String cache(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.headers().firstValue("x-gateway-cache").orElse(null);
    }
}
