package io.llmgw.app;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.config.GatewayConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;

/** The real application started on a free port with a YAML configuration, plus clients for it. */
final class TestGateway implements AutoCloseable {
    static final String GATEWAY_KEY = "gw-test-0123456789abcdef0123456789abcdef";
    static final String UPSTREAM_KEY = "sk-upstream-secret-9f8e7d6c5b4a39281706";

    private final ConfigurableApplicationContext context;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private TestGateway(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = context.getBean(GatewayServer.class).port();
    }

    /** Starts with {@code yaml} as the GATEWAY_CONFIG file; {@code ${GW_KEY}} and {@code ${UP_KEY}} are defined. */
    static TestGateway start(String yaml) {
        return start(yaml, Map.of());
    }

    /** Every model through one OpenAI-compatible upstream, for the gateway key {@link #GATEWAY_KEY}. */
    static TestGateway inFrontOf(String upstreamBaseUrl) {
        return start("""
                auth: { mode: gateway, keys: ["${GW_KEY}"] }
                providers:
                  up: { type: openai, base_url: "%s/v1", api_key: "${UP_KEY}", timeout: 5s }
                models:
                  "*": { deployments: [ { provider: up } ] }
                """.formatted(upstreamBaseUrl));
    }

    static TestGateway start(String yaml, Map<String, String> extraEnv) {
        return start(yaml, extraEnv, GatewayApplication.DEFAULT_SHUTDOWN_GRACE);
    }

    /** As {@link #start(String, Map)}, with how long {@link #close()} waits for requests in flight. */
    static TestGateway start(String yaml, Map<String, String> extraEnv, Duration shutdownGrace) {
        try {
            Path file = Files.createTempFile("gateway", ".yaml");
            Files.writeString(file, yaml);
            file.toFile().deleteOnExit();
            Map<String, String> env = new HashMap<>(extraEnv);
            env.put("GATEWAY_CONFIG", file.toString());
            env.put("GW_KEY", GATEWAY_KEY);
            env.put("UP_KEY", UPSTREAM_KEY);
            // Scripted upstream replies are consumed in order; a background health check must not take one.
            env.putIfAbsent("HEALTH_CHECK_INTERVAL_MS", "off");
            GatewayConfig config = ConfigLoader.load(env);
            return new TestGateway(GatewayApplication.start(config, 0, shutdownGrace));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts with {@code config} as it is, for configurations the loader would not build. */
    static TestGateway start(GatewayConfig config) {
        return new TestGateway(GatewayApplication.start(config, 0));
    }

    /** A configuration with one model {@code gpt-4o} served by {@code gpt-4o-prod} on the fake upstream. */
    static String singleUpstream(String providerType, String fakeBaseUrl) {
        String provider = switch (providerType) {
            case "azure-openai" -> "    type: azure-openai\n    base_url: " + fakeBaseUrl + "\n    api_version: \"2024-10-21\"\n";
            // Anthropic's base URL is the API root, as in its SDKs: the gateway appends /v1/messages
            case "anthropic" -> "    type: anthropic\n    base_url: " + fakeBaseUrl + "\n";
            default -> "    type: openai\n    base_url: " + fakeBaseUrl + "/v1\n";
        };
        return """
                auth:
                  mode: gateway
                  keys: ["${GW_KEY}"]
                providers:
                  up:
                %s    api_key: ${UP_KEY}
                    timeout: 5s
                models:
                  gpt-4o:
                    deployments:
                      - { provider: up, model: gpt-4o-prod }
                  "claude-*":
                    deployments:
                      - { provider: up, model: small-model }
                """.formatted(provider);
    }

    /** The core gateway the app serves with, for state a test cannot see over HTTP (e.g. its health registry). */
    io.llmgw.core.Gateway core() {
        return context.getBean(io.llmgw.core.LiveGateway.class).current();
    }

    /** The HTTP server, for settings a test cannot see over HTTP. */
    GatewayServer server() {
        return context.getBean(GatewayServer.class);
    }

    /** The gateway as the server hands it requests, for a second server on the same one. */
    io.llmgw.core.LiveGateway live() {
        return context.getBean(io.llmgw.core.LiveGateway.class);
    }

    int port() {
        return port;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    OpenAIClient openAi() {
        return openAi(GATEWAY_KEY);
    }

    OpenAIClient openAi(String key) {
        return OpenAIOkHttpClient.builder()
                .baseUrl(url("/v1"))
                .apiKey(key)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    AnthropicClient anthropic() {
        return anthropic(GATEWAY_KEY);
    }

    /** The official Anthropic SDK pointed at the gateway; it sends the key as {@code x-api-key}. */
    AnthropicClient anthropic(String key) {
        return AnthropicOkHttpClient.builder()
                .baseUrl(url(""))
                .apiKey(key)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    HttpResponse<String> send(String method, String path, String body, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> postJson(String path, String body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "content-type";
        all[1] = "application/json";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return send("POST", path, body, all);
    }

    HttpResponse<String> postJsonWithKey(String path, String body) {
        return postJson(path, body, "authorization", "Bearer " + GATEWAY_KEY);
    }

    @Override
    public void close() {
        context.close();
    }
}
