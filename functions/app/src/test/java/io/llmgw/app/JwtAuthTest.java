package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeJwks;
import io.llmgw.testing.FakeJwks.SigningKey;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.RecordedRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * JWT / OpenID Connect bearer tokens through the real application: a loopback identity provider
 * ({@link FakeJwks}) publishes generated RSA and EC keys; tokens signed with them reach the
 * upstream with the configured upstream key, and every kind of bad token is a 401 in the client's
 * own dialect that names the problem without echoing the token.
 */
@ExtendWith(OutputCaptureExtension.class)
class JwtAuthTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ISSUER = "https://idp.example.test/realms/platform";
    private static final String AUDIENCE = "llm-gateway";
    private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String MESSAGES = "{\"model\":\"claude-x\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private static FakeJwks idp;
    private static SigningKey rsa;
    private static SigningKey ec;
    private static FakeUpstream upstream;
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        idp = FakeJwks.start();
        rsa = idp.rsa("rsa-1");
        ec = idp.ec("ec-1");
        upstream = FakeUpstream.start().handler(ChatScript.text("ok").handler());
        gateway = TestGateway.start(config(ISSUER, AUDIENCE, idp.url(), "[RS256, ES256]", "sub", "roles", upstream.baseUrl()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
        idp.close();
    }

    static String config(String issuer, String audience, String jwksUrl, String algorithms, String identityClaim, String teamClaim,
                         String upstreamUrl) {
        return """
                auth:
                  mode: gateway
                  keys: ["${GW_KEY}"]
                  jwt:
                    issuer: "%s"
                    audience: "%s"
                    jwks_url: "%s"
                    algorithms: %s
                    identity_claim: %s
                    team_claim: %s
                providers:
                  up:
                    type: openai
                    base_url: %s/v1
                    api_key: ${UP_KEY}
                    timeout: 5s
                models:
                  gpt-4o:
                    deployments:
                      - { provider: up, model: gpt-4o-prod }
                  "claude-*":
                    deployments:
                      - { provider: up, model: small-model }
                """.formatted(issuer, audience, jwksUrl, algorithms, identityClaim, teamClaim, upstreamUrl);
    }

    /** Claims a good token carries: this issuer and audience, a subject, a role, ten minutes to live. */
    static JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("alice@example.test")
                .claim("roles", List.of("platform-team", "readers")).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600)));
    }

    // ---- valid tokens ---------------------------------------------------------------------------

    @Test
    void rsaAndEcTokensReachTheUpstreamWithTheConfiguredKeyAndNeverTheToken(CapturedOutput output) {
        String rsaToken = rsa.sign(claims().build());
        String ecToken = ec.sign(claims().subject("bob@example.test").build());
        upstream.clear();

        var chat = gateway.openAi(rsaToken).chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-4o").addUserMessage("hi").build());
        assertThat(chat.choices().get(0).message().content()).contains("ok");

        var message = gateway.anthropic(ecToken).messages().create(MessageCreateParams.builder()
                .model("claude-x").maxTokens(16).addUserMessage("hi").build());  // the Anthropic SDK sends x-api-key
        assertThat(message.content().get(0).text().orElseThrow().text()).contains("ok");

        assertThat(upstream.requests()).hasSize(2);
        for (RecordedRequest request : upstream.requests()) {
            assertThat(request.header("authorization")).isEqualTo("Bearer " + TestGateway.UPSTREAM_KEY);
            assertThat(request.headers().toString() + request.bodyText()).doesNotContain(rsaToken).doesNotContain(ecToken);
        }
        String aliceLine = requestLine(output, "jwt:alice@example.test");
        assertThat(aliceLine).contains("\"key_name\":\"alice@example.test\"", "\"team\":\"platform-team\"", "\"status\":200");
        assertThat(requestLine(output, "jwt:bob@example.test")).contains("\"key_name\":\"bob@example.test\"");
        assertThat(output.getAll()).doesNotContain(rsaToken).doesNotContain(ecToken).doesNotContain(rsaToken.split("\\.")[2]);
    }

    @Test
    void gatewayKeysKeepWorkingBesideTokens() {
        assertThat(gateway.postJsonWithKey("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
    }

    // ---- refused tokens -------------------------------------------------------------------------

    @Test
    void everyKindOfBadTokenIsA401NamingTheProblemInTheClientsDialect(CapturedOutput output) {
        Instant now = Instant.now();
        Map<String, String> expectations = new LinkedHashMap<>();
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("expired", rsa.sign(claims().issueTime(Date.from(now.minusSeconds(7200)))
                .expirationTime(Date.from(now.minusSeconds(3600))).build()));
        expectations.put("expired", "expired");
        tokens.put("not yet valid", ec.sign(claims().notBeforeTime(Date.from(now.plusSeconds(3600)))
                .expirationTime(Date.from(now.plusSeconds(7200))).build()));
        expectations.put("not yet valid", "not valid yet");
        tokens.put("wrong issuer", rsa.sign(claims().issuer("https://evil.example.test").build()));
        expectations.put("wrong issuer", "issuer");
        tokens.put("wrong audience", rsa.sign(claims().audience("another-app").build()));
        expectations.put("wrong audience", "audience");
        tokens.put("no expiry", rsa.sign(claims().expirationTime(null).build()));
        expectations.put("no expiry", "no expiry");
        tokens.put("no subject", ec.sign(claims().subject(null).build()));
        expectations.put("no subject", "no 'sub' claim");
        tokens.put("alg none", FakeJwks.unsigned(claims().build()));
        expectations.put("alg none", "alg: none");
        tokens.put("HMAC with the RSA public key", rsa.hmacWithPublicKey(claims().build()));
        expectations.put("HMAC with the RSA public key", "algorithm is not accepted");
        tokens.put("signed by another key under a published kid", idp.unpublishedRsa("rsa-1").sign(claims().build()));
        expectations.put("signed by another key under a published kid", "signature does not verify");
        String good = rsa.sign(claims().build());
        String[] parts = good.split("\\.");
        tokens.put("payload altered", parts[0] + "." + parts[1].substring(0, parts[1].length() - 4) + "AAAA." + parts[2]);
        expectations.put("payload altered", "");  // a broken payload or signature: refused either way
        upstream.clear();

        for (var entry : tokens.entrySet()) {
            String token = entry.getValue();
            String expected = expectations.get(entry.getKey());

            HttpResponse<String> openAi = gateway.postJson("/v1/chat/completions", CHAT, "authorization", "Bearer " + token);
            assertThat(openAi.statusCode()).as(entry.getKey() + ": " + openAi.body()).isEqualTo(401);
            JsonNode error = json(openAi).path("error");
            assertThat(error.path("type").asText()).as(entry.getKey()).isEqualTo("invalid_request_error");
            assertThat(error.path("code").asText()).as(entry.getKey()).isEqualTo("invalid_token");
            assertThat(error.path("message").asText()).as(entry.getKey()).contains(expected);
            assertThat(openAi.body()).doesNotContain(token).doesNotContain(token.split("\\.")[0]);

            HttpResponse<String> anthropic = gateway.postJson("/v1/messages", MESSAGES, "x-api-key", token,
                    "anthropic-version", "2023-06-01");
            assertThat(anthropic.statusCode()).as(entry.getKey() + ": " + anthropic.body()).isEqualTo(401);
            JsonNode body = json(anthropic);
            assertThat(body.path("type").asText()).isEqualTo("error");
            assertThat(body.path("error").path("type").asText()).as(entry.getKey()).isEqualTo("authentication_error");
            assertThat(body.path("error").path("message").asText()).as(entry.getKey()).contains(expected);
            assertThat(anthropic.body()).doesNotContain(token);
        }
        assertThat(upstream.requests()).as("no refused token reaches the upstream").isEmpty();
        for (String token : tokens.values()) {
            assertThat(output.getAll()).doesNotContain(token);
        }
    }

    @Test
    void aTokenIsNeverTakenForAGatewayKeyOrForwarded() {
        // A JWT-shaped value that is nothing: refused as a token, not compared with the gateway keys.
        HttpResponse<String> response = gateway.postJson("/v1/chat/completions", CHAT, "authorization", "Bearer abc.def.ghi");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).path("error").path("message").asText()).contains("not a well-formed JWT");
    }

    // ---- unknown kid: one refresh, then 401 -----------------------------------------------------

    @Test
    void anUnknownKidCausesOneJwksRefreshNotOnePerRequest() {
        try (FakeJwks provider = FakeJwks.start();
             TestGateway own = TestGateway.start(config(ISSUER, AUDIENCE, provider.url(), "[RS256]", "sub", "roles",
                     upstream.baseUrl()))) {
            SigningKey known = provider.rsa("known");
            assertThat(own.postJson("/v1/chat/completions", CHAT, "authorization", "Bearer " + known.sign(claims().build()))
                    .statusCode()).isEqualTo(200);
            assertThat(provider.fetches()).isEqualTo(1);

            for (int i = 0; i < 5; i++) {
                String forged = provider.unpublishedRsa("random-kid-" + i).sign(claims().build());
                HttpResponse<String> response = own.postJson("/v1/chat/completions", CHAT, "authorization", "Bearer " + forged);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
                assertThat(json(response).path("error").path("message").asText()).contains("unknown kid");
            }
            assertThat(provider.fetches()).as("one refresh for the burst of unknown kids").isEqualTo(2);

            // the known key still works from the cache, without another fetch
            assertThat(own.postJson("/v1/chat/completions", CHAT, "authorization", "Bearer " + known.sign(claims().build()))
                    .statusCode()).isEqualTo(200);
            assertThat(provider.fetches()).isEqualTo(2);
        }
    }

    // ---- Entra ID v2 ----------------------------------------------------------------------------

    @Test
    void anEntraIdV2TokenIsAcceptedWithTheTenantsIssuerAndNamedByOid(CapturedOutput output) {
        String tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
        String clientId = "6e74172b-be56-4843-9ff4-e66a39bb12e3";
        String issuer = "https://login.microsoftonline.com/" + tenant + "/v2.0";
        String oid = "00000000-0000-0000-66f3-3332eca7ea81";
        try (FakeJwks entra = FakeJwks.start();
             TestGateway own = TestGateway.start(config(issuer, clientId, entra.url(), "[RS256]", "oid", "groups", upstream.baseUrl()))) {
            SigningKey key = entra.rsa("nOo3ZDrODXEK1jKWhXslHR_KXEg");
            Instant now = Instant.now();
            // The claims of an Entra ID v2 access token for an API (learn.microsoft.com "Access token claims reference").
            JWTClaimsSet token = new JWTClaimsSet.Builder()
                    .audience(clientId).issuer(issuer).issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                    .expirationTime(Date.from(now.plusSeconds(3600)))
                    .claim("aio", "AXQAi/8I").claim("azp", "1950a258-227b-4e31-a9cf-717495945fc2").claim("azpacr", "0")
                    .claim("groups", List.of("f1b2c3d4-0000-4000-8000-000000000001", "f1b2c3d4-0000-4000-8000-000000000002"))
                    .claim("name", "Abe Lincoln").claim("oid", oid).claim("preferred_username", "abeli@microsoft.com")
                    .claim("rh", "I").claim("scp", "access_as_user").subject("HKZpfaHyWadeOouYlitjrI-KffTm222X5rrV3xDqfKQ")
                    .claim("tid", tenant).claim("uti", "fqiBqXLPj0eQa82S-IYFAA").claim("ver", "2.0")
                    .build();
            HttpResponse<String> response = own.postJson("/v1/chat/completions", CHAT, "authorization", "Bearer " + key.sign(token));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            String line = requestLine(output, "jwt:" + oid);
            assertThat(line).contains("\"key_name\":\"" + oid + "\"", "\"team\":\"f1b2c3d4-0000-4000-8000-000000000001\"");

            // a token of another tenant is refused on its issuer, before any key lookup
            int fetches = entra.fetches();
            String otherTenant = key.sign(new JWTClaimsSet.Builder(token)
                    .issuer("https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0").build());
            HttpResponse<String> refused = own.postJson("/v1/chat/completions", CHAT, "authorization", "Bearer " + otherTenant);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(json(refused).path("error").path("message").asText()).contains("issuer");
            assertThat(entra.fetches()).isEqualTo(fetches);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** The request log line carrying {@code clientKey}; it is written just after the response completes. */
    private static String requestLine(CapturedOutput output, String clientKey) {
        for (int i = 0; i < 100; i++) {
            String line = output.getOut().lines()
                    .filter(l -> l.contains("\"message\":\"request\"") && l.contains("\"client_key\":\"" + clientKey + "\""))
                    .reduce((a, b) -> b).orElse(null);
            if (line != null) {
                return line;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new AssertionError("no request log line for " + clientKey);
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }
}
