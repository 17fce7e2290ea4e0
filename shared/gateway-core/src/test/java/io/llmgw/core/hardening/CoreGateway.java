package io.llmgw.core.hardening;

import io.llmgw.core.Gateway;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.http.Headers;
import io.llmgw.core.stream.BufferingSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The core gateway built from YAML (with {@code ${KEY}} as the gateway key and {@code ${UP_KEY}}
 * as an upstream key) and called through {@link Gateway#handle} with a buffering sink, as a
 * platform would.
 */
final class CoreGateway implements AutoCloseable {
    static final String KEY = "hardening-gateway-key-0123456789abcdef012";
    static final String UP_KEY = "sk-hardening-upstream-key-9f8e7d6c5b4a3921";

    final Gateway gateway;
    private final List<AutoCloseable> alongside = new ArrayList<>();

    CoreGateway(String yaml) {
        this(yaml, Gateway.Options.defaults());
    }

    CoreGateway(String yaml, Gateway.Options options) {
        this.gateway = new Gateway(config(yaml), options);
    }

    static GatewayConfig config(String yaml) {
        try {
            Path file = Files.createTempFile("hardening", ".yaml");
            try {
                Files.writeString(file, yaml);
                Map<String, String> env = new HashMap<>();
                env.put("GATEWAY_CONFIG", file.toString());
                env.put("KEY", KEY);
                env.put("UP_KEY", UP_KEY);
                return ConfigLoader.load(env);
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code headers} are name, value pairs; the body is sent as UTF-8. */
    BufferingSink send(String method, String target, String body, String... headers) {
        int q = target.indexOf('?');
        Headers all = new Headers();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            all.add(headers[i], headers[i + 1]);
        }
        BufferingSink sink = new BufferingSink();
        gateway.handle(new GatewayRequest(method, q < 0 ? target : target.substring(0, q), q < 0 ? null : target.substring(q + 1),
                all, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), "127.0.0.1", null), sink);
        return sink;
    }

    /** A JSON POST with the gateway key, as {@code Authorization: Bearer} (OpenAI paths) or {@code x-api-key} (Anthropic). */
    BufferingSink post(String path, String body) {
        return path.startsWith("/v1/messages")
                ? send("POST", path, body, "content-type", "application/json", "x-api-key", KEY, "anthropic-version", "2023-06-01")
                : send("POST", path, body, "content-type", "application/json", "authorization", "Bearer " + KEY);
    }

    /** Closes {@code fakes} (the test's fake upstreams) when this closes. */
    CoreGateway closing(AutoCloseable... fakes) {
        alongside.addAll(List.of(fakes));
        return this;
    }

    @Override
    public void close() {
        gateway.close();
        for (AutoCloseable fake : alongside) {
            try {
                fake.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not close " + fake, e);
            }
        }
    }
}
