package io.llmgw.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import io.llmgw.core.Gateway;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.http.Headers;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.core.telemetry.GatewayEvents;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeJwks;
import io.llmgw.testing.FakeJwks.SigningKey;
import io.llmgw.testing.FakeUpstream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JWT bearer tokens at the core, through {@link Gateway#handle} as a platform calls it (no web
 * server in front, so the token-length bound is the gateway's own): the size bound, key rotation,
 * an unreachable key endpoint, tokens in hybrid mode, and the admin views.
 */
class JwtGatewayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "jwt-core-gateway-key-0123456789abcdef0123";
    private static final String UP_KEY = "sk-configured-upstream-key-0000000000";
    private static final String ISSUER = "https://idp.example.test";
    private static final byte[] CHAT = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] MESSAGES = "{\"model\":\"m\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
            .getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private final List<String> events = new ArrayList<>();
    private FakeJwks idp;
    private FakeUpstream upstream;
    private Gateway gateway;

    @BeforeEach
    void start() {
        idp = FakeJwks.start();
        upstream = FakeUpstream.start().handler(ChatScript.text("ok").handler());
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        upstream.close();
        idp.close();
    }

    private void gateway(String mode, String jwksUrl, String apiKey) {
        gateway(mode, jwksUrl, apiKey, "");
    }

    /** @param policy more of the {@code auth.jwt} flow mapping, e.g. {@code , models: [m]} */
    private void gateway(String mode, String jwksUrl, String apiKey, String policy) {
        try {
            Path file = dir.resolve("gateway.yaml");
            Files.writeString(file, """
                    auth:
                      mode: %s
                      keys: ["%s"]
                      jwt: { issuer: "%s", audience: gw, jwks_url: "%s", team_claim: groups%s }
                    providers:
                      up: { type: openai, base_url: "%s/v1", api_key: %s }
                    models:
                      "*": { deployments: [ { provider: up } ] }
                    """.formatted(mode, KEY, ISSUER, jwksUrl, policy, upstream.baseUrl(), apiKey));
            GatewayConfig config = ConfigLoader.load(Map.of("GATEWAY_CONFIG", file.toString()));
            gateway = new Gateway(config, Gateway.Options.defaults().withEvents(new GatewayEvents() {
                @Override
                public void unknownGatewayKey() {
                    events.add("unknown-key");
                }
            }));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience("gw").subject("svc-build")
                .expirationTime(Date.from(now.plusSeconds(300)));
    }

    private BufferingSink chat(String header, String value) {
        return send("POST", "/v1/chat/completions", CHAT, "content-type", "application/json", header, value);
    }

    private BufferingSink send(String method, String path, byte[] body, String... headers) {
        BufferingSink sink = new BufferingSink();
        gateway.handle(new GatewayRequest(method, path, null, Headers.of(headers), body, "127.0.0.1", null), sink);
        return sink;
    }

    private static JsonNode json(BufferingSink sink) throws IOException {
        return JSON.readTree(sink.body());
    }

    @Test
    void aTokenOverSixteenKilobytesIsRefusedUnreadButALargeEntraSizedOneIsRead() throws IOException {
        gateway("gateway", idp.url(), UP_KEY);
        SigningKey key = idp.rsa("k1");
        // 200 group ids: the most Entra ID puts in a token before it switches to an overage claim
        List<String> groups = IntStream.range(0, 200).mapToObj(i -> "%08d-0000-4000-8000-000000000000".formatted(i)).toList();
        String large = key.sign(claims().claim("groups", groups).build());
        assertThat(large.length()).isBetween(10_000, JwtAuthenticator.MAX_TOKEN_CHARS);
        BufferingSink accepted = chat("authorization", "Bearer " + large);
        assertThat(accepted.status()).as(accepted.bodyText()).isEqualTo(200);

        int fetches = idp.fetches();
        List<String> more = IntStream.range(0, 600).mapToObj(i -> "%08d-0000-4000-8000-000000000000".formatted(i)).toList();
        String oversize = key.sign(claims().claim("groups", more).build());
        assertThat(oversize.length()).isGreaterThan(JwtAuthenticator.MAX_TOKEN_CHARS);
        for (String header : List.of("authorization", "x-api-key")) {
            BufferingSink refused = chat(header, header.equals("authorization") ? "Bearer " + oversize : oversize);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(json(refused).path("error").path("message").asText()).contains("longer than 16384 characters");
            assertThat(refused.bodyText()).doesNotContain(oversize.substring(0, 40));
        }
        assertThat(idp.fetches()).isEqualTo(fetches);
        assertThat(events).as("a refused token is not a stale gateway key").isEmpty();
    }

    @Test
    void aRotatedInKeyIsFetchedOnItsFirstToken() {
        gateway("gateway", idp.url(), UP_KEY);
        SigningKey old = idp.rsa("2024-key");
        assertThat(chat("authorization", "Bearer " + old.sign(claims().build())).status()).isEqualTo(200);
        assertThat(idp.fetches()).isEqualTo(1);

        SigningKey rotated = idp.publish(idp.unpublishedRsa("2025-key"));
        BufferingSink response = chat("authorization", "Bearer " + rotated.sign(claims().build()));
        assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
        assertThat(idp.fetches()).isEqualTo(2);
        assertThat(upstream.requests()).allSatisfy(r -> assertThat(r.header("authorization")).isEqualTo("Bearer " + UP_KEY));
    }

    @Test
    void anUnreachableKeyEndpointIsARetryable503NotA401() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        gateway("gateway", "http://127.0.0.1:" + closedPort + "/keys", UP_KEY);
        String token = idp.rsa("k1").sign(claims().build());

        for (int i = 0; i < 4; i++) {  // past the refresh rate limit too: still "unavailable", never "unknown key"
            BufferingSink openAi = chat("authorization", "Bearer " + token);
            assertThat(openAi.status()).isEqualTo(503);
            JsonNode error = json(openAi).path("error");
            assertThat(error.path("type").asText()).isEqualTo("server_error");
            assertThat(error.path("code").asText()).isEqualTo("identity_provider_unavailable");
            assertThat(error.path("message").asText()).contains("retry");
        }
        BufferingSink anthropic = send("POST", "/v1/messages", MESSAGES, "content-type", "application/json", "x-api-key", token,
                "anthropic-version", "2023-06-01");
        assertThat(anthropic.status()).isEqualTo(529);  // Anthropic's overloaded status, which its SDKs retry
        assertThat(json(anthropic).path("error").path("type").asText()).isEqualTo("overloaded_error");
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void inHybridModeATokenIsVerifiedAndNeverForwardedWhileOtherKeysAre() throws IOException {
        gateway("hybrid", idp.url(), "none");
        SigningKey key = idp.ec("ec-1");
        String clientKey = "sk-client-own-key-abcdefabcdefabcdef";

        assertThat(chat("authorization", "Bearer " + clientKey).status()).isEqualTo(200);
        assertThat(upstream.lastRequest().header("authorization")).isEqualTo("Bearer " + clientKey);

        assertThat(chat("authorization", "Bearer " + key.sign(claims().build())).status()).isEqualTo(401);  // ES256 not configured
        String rsaToken = idp.rsa("rsa-1").sign(claims().build());
        assertThat(chat("authorization", "Bearer " + rsaToken).status()).isEqualTo(200);
        assertThat(upstream.lastRequest().header("authorization")).as("the provider has no key: none is sent").isNull();

        String expired = idp.rsa("rsa-2").sign(claims().expirationTime(Date.from(Instant.now().minusSeconds(600))).build());
        BufferingSink refused = chat("authorization", "Bearer " + expired);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(json(refused).path("error").path("message").asText()).isEqualTo("The token has expired.");
        assertThat(upstream.requests()).hasSize(2);
    }

    @Test
    void aTokensIdentityCarriesTheConfiguredModelsAndLimitsPerSubject() throws IOException {
        gateway("gateway", idp.url(), UP_KEY, ", models: [m], limits: { requests_per_minute: 1 }");
        SigningKey key = idp.rsa("k1");
        String alice = key.sign(claims().subject("alice").build());
        String bob = key.sign(claims().subject("bob").build());

        BufferingSink other = send("POST", "/v1/chat/completions", new String(CHAT, StandardCharsets.UTF_8).replace("\"m\"", "\"other\"")
                .getBytes(StandardCharsets.UTF_8), "content-type", "application/json", "authorization", "Bearer " + alice);
        assertThat(other.status()).as(other.bodyText()).isEqualTo(403);
        assertThat(json(other).path("error").path("code").asText()).isEqualTo("model_not_allowed");

        assertThat(chat("authorization", "Bearer " + alice).status()).isEqualTo(200);
        assertThat(chat("authorization", "Bearer " + alice).status()).as("alice's one request per minute is spent").isEqualTo(429);
        assertThat(chat("authorization", "Bearer " + bob).status()).as("each subject has its own limit").isEqualTo(200);
    }

    @Test
    void aTokenDoesNotOpenTheAdminViews() {
        gateway("gateway", idp.url(), UP_KEY);
        String token = idp.rsa("k1").sign(claims().build());
        assertThat(send("GET", "/config", new byte[0], "authorization", "Bearer " + token).status()).isEqualTo(401);
        BufferingSink view = send("GET", "/config", new byte[0], "authorization", "Bearer " + KEY);
        assertThat(view.status()).isEqualTo(200);
        assertThat(view.bodyText()).contains("\"jwt\":{\"issuer\":\"" + ISSUER + "\"", "\"jwks_url\":\"" + idp.url() + "\"");
    }
}
