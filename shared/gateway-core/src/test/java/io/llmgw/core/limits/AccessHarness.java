package io.llmgw.core.limits;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.Gateway;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.http.Headers;
import io.llmgw.core.json.Json;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.core.web.GatewayRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;

/** A gateway over the built-in mock, configured from YAML, and requests to it with a given key. */
final class AccessHarness {
    static final String ADMIN_KEY = "admin-gateway-key-0123456789abcdef01234";
    static final String ALICE = "alice-virtual-key-0123456789abcdef0123456";
    static final String BOB = "bob-virtual-key-0123456789abcdef012345678";
    static final String CAROL = "carol-virtual-key-0123456789abcdef0123456";

    private AccessHarness() {}

    static GatewayConfig config(Path dir, String yaml) {
        try {
            Path file = dir.resolve("gateway-" + System.nanoTime() + ".yaml");
            Files.writeString(file, "auth:\n  keys: [" + ADMIN_KEY + "]\n" + yaml);
            return ConfigLoader.load(Map.of("GATEWAY_CONFIG", file.toString(), "HEALTH_CHECK_INTERVAL_MS", "off"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static BufferingSink chat(Gateway gateway, String key, String model) {
        return post(gateway, key, "/v1/chat/completions", "{\"model\":\"" + model + "\",\"max_tokens\":16,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}", "127.0.0.1");
    }

    static BufferingSink messages(Gateway gateway, String key, String model) {
        return post(gateway, key, "/v1/messages", "{\"model\":\"" + model + "\",\"max_tokens\":16,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}", "127.0.0.1");
    }

    static BufferingSink post(Gateway gateway, String key, String path, String body, String peer, String... headers) {
        BufferingSink sink = new BufferingSink();
        Headers all = Headers.of("content-type", "application/json", "authorization", "Bearer " + key, "anthropic-version", "2023-06-01");
        for (int i = 0; i < headers.length; i += 2) {
            all.add(headers[i], headers[i + 1]);
        }
        gateway.handle(new GatewayRequest("POST", path, null, all, body.getBytes(StandardCharsets.UTF_8), peer, null), sink);
        return sink;
    }

    static BufferingSink get(Gateway gateway, String key, String path) {
        BufferingSink sink = new BufferingSink();
        gateway.handle(new GatewayRequest("GET", path, null, Headers.of("authorization", "Bearer " + key), new byte[0], "127.0.0.1",
                null), sink);
        return sink;
    }

    static JsonNode json(BufferingSink sink) {
        try {
            return Json.parse(sink.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
