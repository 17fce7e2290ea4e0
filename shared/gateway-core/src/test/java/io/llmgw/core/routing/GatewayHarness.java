package io.llmgw.core.routing;

import io.llmgw.core.Gateway;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.http.Headers;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.core.telemetry.GatewayEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** A gateway built from YAML (with {@code ${KEY}} as the gateway key), called directly with a buffering sink. */
final class GatewayHarness implements AutoCloseable {
    static final String KEY = "routing-gateway-key-0123456789abcdef0123";

    final Gateway gateway;

    GatewayHarness(String yaml, Clock clock) {
        try {
            Path file = Files.createTempFile("routing", ".yaml");
            Files.writeString(file, yaml);
            GatewayConfig config = ConfigLoader.load(Map.of("GATEWAY_CONFIG", file.toString(), "KEY", KEY));
            Files.delete(file);
            gateway = new Gateway(config, GatewayEvents.NONE, clock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    GatewayHarness(String yaml) {
        this(yaml, Clock.systemUTC());
    }

    BufferingSink chat(String model, boolean stream) {
        return post("/v1/chat/completions", "{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    }

    BufferingSink post(String path, String body) {
        BufferingSink sink = new BufferingSink();
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
