package io.llmgw.core.routing;

import io.llmgw.core.Gateway;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.http.Headers;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.core.stream.StreamSink;
import io.llmgw.core.telemetry.GatewayEvents;
import io.llmgw.core.telemetry.Metrics;
import io.llmgw.core.upstream.UpstreamTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** A gateway built from YAML (with {@code ${KEY}} as the gateway key), called directly with a buffering sink. */
public final class GatewayHarness implements AutoCloseable {
    public static final String KEY = "routing-gateway-key-0123456789abcdef0123";

    final Gateway gateway;

    GatewayHarness(String yaml, Clock clock) {
        this(yaml, clock, null);
    }

    /** With {@code transport} for network upstreams (null: the blocking client on the request's thread). */
    GatewayHarness(String yaml, Clock clock, UpstreamTransport transport) {
        try {
            Path file = Files.createTempFile("routing", ".yaml");
            Files.writeString(file, yaml);
            GatewayConfig config = ConfigLoader.load(Map.of("GATEWAY_CONFIG", file.toString(), "KEY", KEY));
            Files.delete(file);
            gateway = new Gateway(config, new Gateway.Options(GatewayEvents.NONE, clock, Metrics.NONE).withTransport(transport));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public GatewayHarness(String yaml) {
        this(yaml, Clock.systemUTC());
    }

    /** Model {@code m} on one OpenAI deployment at {@code baseUrl}, no retries, no health checks: YAML to follow an auth block. */
    static String oneOpenAiModel(String baseUrl) {
        return """
                routing: { retries: 0, health_check_interval: off }
                providers:
                  gpt: { type: openai, base_url: "%s/v1", api_key: sk-openai-00000000000000 }
                models:
                  m: { deployments: [ { provider: gpt, model: gpt-b } ] }
                """.formatted(baseUrl);
    }

    BufferingSink chat(String model, boolean stream) {
        return post("/v1/chat/completions", chatBody(model, stream));
    }

    static String chatBody(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    public BufferingSink post(String path, String body) {
        return post(path, body, new BufferingSink());
    }

    <S extends StreamSink> S post(String path, String body, S sink) {
        gateway.handle(new GatewayRequest("POST", path, null,
                Headers.of("content-type", "application/json", "authorization", "Bearer " + KEY),
                body.getBytes(StandardCharsets.UTF_8), "127.0.0.1", null), sink);
        return sink;
    }

    @Override
    public void close() {
        gateway.close();
    }
}
