package io.llmgw.core.golden;

import io.llmgw.core.Gateway;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.http.Headers;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.testing.GoldenCases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs golden cases through {@link Gateway#handle} with a buffering sink, configured with one
 * provider of the given type at the fake upstream: model {@code gpt-4o} → deployment
 * {@code gpt-4o-prod}, {@code claude-*} → {@code gpt-4o-mini} (for an Anthropic provider:
 * {@code claude-sonnet-4-5-20250929}, and {@code claude-opus-4-6} as itself), anything else → the
 * name asked for.
 */
public final class GoldenTarget implements GoldenCases.Target {
    public static final String GATEWAY_KEY = "golden-gateway-key-0123456789abcdef0123";
    public static final String UPSTREAM_KEY = "sk-golden-upstream-key-0123456789";

    private final String providerType;
    private final String providerSettings;

    public GoldenTarget(String providerType) {
        this(providerType, "");
    }

    /** @param providerSettings more of the provider's YAML flow mapping, e.g. {@code "responses: native"} */
    public GoldenTarget(String providerType, String providerSettings) {
        this.providerType = providerType;
        this.providerSettings = providerSettings.isEmpty() ? "" : ", " + providerSettings;
    }

    @Override
    public GoldenCases.Result send(GoldenCases.CaseRequest request, String upstreamBaseUrl) throws Exception {
        String baseUrl = switch (providerType) {
            case "openai" -> upstreamBaseUrl + "/v1";
            case "gemini" -> upstreamBaseUrl + "/v1beta/openai";
            // Anthropic's base URL is the API root, as in its SDKs; the gateway appends /v1/messages
            default -> upstreamBaseUrl;
        };
        String yaml = """
                auth: { mode: gateway, keys: ["%s"] }
                providers:
                  up: { type: %s, base_url: "%s", api_key: "%s", timeout: 10s%s }
                models:
                  gpt-4o: { deployments: [ { provider: up, model: gpt-4o-prod } ] }
                  "claude-*": { deployments: [ { provider: up, model: %s } ] }
                  "*": { deployments: [ { provider: up } ] }
                """.formatted(GATEWAY_KEY, providerType, baseUrl, UPSTREAM_KEY, providerSettings,
                providerType.equals("anthropic") ? "claude-sonnet-4-5-20250929" : "gpt-4o-mini");
        if (providerType.equals("anthropic")) {
            yaml = yaml.replace("models:\n", "models:\n  claude-opus-4-6: { deployments: [ { provider: up } ] }\n");
        }
        Path file = Files.createTempFile("golden", ".yaml");
        try {
            Files.writeString(file, yaml);
            GatewayConfig config = ConfigLoader.load(Map.of("GATEWAY_CONFIG", file.toString()));
            Headers headers = new Headers();
            request.headers().forEach(headers::add);
            if (!headers.contains("authorization") && !headers.contains("x-api-key") && !headers.contains("api-key")) {
                headers.add("authorization", "Bearer " + GATEWAY_KEY);
            }
            String path = request.path();
            int q = path.indexOf('?');
            BufferingSink sink = new BufferingSink();
            try (Gateway gateway = new Gateway(config)) {
                gateway.handle(new GatewayRequest(request.method(), q < 0 ? path : path.substring(0, q), q < 0 ? null : path.substring(q + 1),
                        headers, request.body(), "127.0.0.1", null), sink);
            }
            Map<String, String> responseHeaders = new LinkedHashMap<>();
            sink.headers().forEach(responseHeaders::putIfAbsent);
            return new GoldenCases.Result(sink.status(), responseHeaders, sink.bodyText());
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
