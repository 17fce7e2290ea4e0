package io.llmgw.provider.bedrock;

import io.llmgw.core.Gateway;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.http.Headers;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.core.web.GatewayRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The core gateway in this JVM, as the tests of provider modules drive it: configured from YAML, one request at a time. */
public final class InProcessGateway {
    private InProcessGateway() {}

    /** The configuration {@code yaml} (written to {@code dir}) loads to, as {@code GATEWAY_CONFIG} would. */
    public static GatewayConfig load(Path dir, String yaml) {
        try {
            Path file = Files.createTempFile(dir, "gateway", ".yaml");
            Files.writeString(file, yaml);
            return ConfigLoader.load(Map.of("GATEWAY_CONFIG", file.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a client receives for one request, through a gateway started and closed around it. */
    public static BufferingSink send(GatewayConfig config, String method, String path, Headers headers, byte[] body) {
        BufferingSink sink = new BufferingSink();
        try (Gateway gateway = new Gateway(config)) {
            gateway.handle(new GatewayRequest(method, path, null, headers, body, "127.0.0.1", null), sink);
        }
        return sink;
    }

    /** A JSON POST with {@code key} as the bearer token. */
    public static BufferingSink post(GatewayConfig config, String path, String key, String json) {
        return send(config, "POST", path, Headers.of("content-type", "application/json", "authorization", "Bearer " + key),
                json.getBytes(StandardCharsets.UTF_8));
    }
}
