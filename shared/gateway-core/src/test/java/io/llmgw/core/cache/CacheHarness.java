package io.llmgw.core.cache;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.Gateway;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.http.Headers;
import io.llmgw.core.json.Json;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.testing.AnthropicScript;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.RecordedRequest;
import io.llmgw.testing.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * A gateway with the response cache in front of a fake chat upstream ({@code gpt-cached}) and a
 * fake Anthropic upstream ({@code claude-cached}), both answering with the script a test sets,
 * streamed or not as asked. Which path a request takes follows from the pair: chat → gpt-cached and
 * Anthropic → claude-cached pass through; the other pairs, and Responses → gpt-cached, translate.
 */
final class CacheHarness implements AutoCloseable {
    static final String KEY = "cache-gateway-key-0123456789abcdef012345";

    final FakeUpstream upstream = FakeUpstream.start();
    final Gateway gateway;
    volatile Function<RecordedRequest, Reply> chat = ChatScript.text("The cached answer, from upstream.").usage(12, 7).handler();
    volatile Function<RecordedRequest, Reply> anthropic = AnthropicScript.text("The cached answer, from upstream.").usage(12, 7).handler();

    CacheHarness(String yaml) {
        this(DEFAULT_AUTH, yaml, Gateway.Options.defaults());
    }

    static final String DEFAULT_AUTH = "auth: { mode: gateway, keys: [\"" + KEY + "\"] }\n";

    /** @param auth the {@code auth:} section */
    CacheHarness(String auth, String yaml, Gateway.Options options) {
        upstream.handler(request -> request.path().endsWith("/chat/completions") ? chat.apply(request) : anthropic.apply(request));
        gateway = new Gateway(config(auth + yaml), options);
    }

    GatewayConfig config(String yaml) {
        try {
            Path file = Files.createTempFile("cache", ".yaml");
            Files.writeString(file, """
                    providers:
                      chat: { type: openai, base_url: "%s/chat/v1", api_key: sk-up-0123456789 }
                      claude: { type: anthropic, base_url: "%s/claude", api_key: sk-up-0123456789 }
                    models:
                      gpt-cached: { deployments: [ { provider: chat, model: real-chat } ] }
                      claude-cached: { deployments: [ { provider: claude, model: real-claude } ] }
                    """.formatted(upstream.baseUrl(), upstream.baseUrl()) + yaml);
            GatewayConfig config = ConfigLoader.load(Map.of("GATEWAY_CONFIG", file.toString(), "HEALTH_CHECK_INTERVAL_MS", "off"));
            Files.delete(file);
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The upstream calls so far. */
    int calls() {
        return upstream.requests().size();
    }

    BufferingSink post(String path, String body, String... headers) {
        return postAs(KEY, path, body, headers);
    }

    /** With {@code key} as the bearer token. */
    BufferingSink postAs(String key, String path, String body, String... headers) {
        BufferingSink sink = new BufferingSink();
        Headers all = Headers.of("content-type", "application/json", "authorization", "Bearer " + key, "anthropic-version", "2023-06-01");
        for (int i = 0; i < headers.length; i += 2) {
            all.add(headers[i], headers[i + 1]);
        }
        gateway.handle(new GatewayRequest("POST", path, null, all, body.getBytes(StandardCharsets.UTF_8), "127.0.0.1", null), sink);
        return sink;
    }

    BufferingSink get(String key, String path) {
        BufferingSink sink = new BufferingSink();
        gateway.handle(new GatewayRequest("GET", path, null, Headers.of("authorization", "Bearer " + key), new byte[0], "127.0.0.1", null),
                sink);
        return sink;
    }

    static String text(BufferingSink sink) {
        return new String(sink.body(), StandardCharsets.UTF_8);
    }

    static JsonNode json(BufferingSink sink) {
        try {
            return Json.parse(sink.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        gateway.close();
        upstream.close();
    }
}
