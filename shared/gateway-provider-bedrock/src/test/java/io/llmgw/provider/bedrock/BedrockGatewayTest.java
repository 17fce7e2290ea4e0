package io.llmgw.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.provider.bedrock.fake.ConverseScript;
import io.llmgw.provider.bedrock.fake.EventStreams;
import io.llmgw.provider.bedrock.fake.FakeBedrock;
import io.llmgw.testing.Reply;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bedrock behind the whole gateway: retries, the three ways a request is authenticated, and refused input. */
class BedrockGatewayTest {
    private static final String GATEWAY_KEY = "gw-bedrock-gateway-test-0123456789abcdef01";
    private static final String API_KEY = "ABSKbedrock-api-key-for-the-gateway-0123456789";
    private static final String CALLERS_KEY = "ABSKbedrock-api-key-of-the-caller-9876543210";
    private static final String CLAUDE = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private FakeBedrock bedrock;

    @BeforeEach
    void start() {
        bedrock = FakeBedrock.start();
    }

    @AfterEach
    void stop() {
        bedrock.close();
    }

    private GatewayConfig config(String auth, String providerExtra) {
        return InProcessGateway.load(dir, """
                auth: %s
                routing: { retries: 2, backoff: { initial: 5ms, max: 10ms } }
                providers:
                  aws: { type: bedrock, region: %s, endpoint: "%s", timeout: 10s%s }
                models:
                  haiku: { deployments: [ { provider: aws, model: "%s" } ] }
                """.formatted(auth, FakeBedrock.REGION, bedrock.endpoint(), providerExtra, CLAUDE));
    }

    private static BufferingSink chat(GatewayConfig config, String key, String body) {
        return InProcessGateway.post(config, "/v1/chat/completions", key, body);
    }

    private static String ask(String text) {
        return "{\"model\":\"haiku\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
    }

    @Test
    void throttlingIsRetriedWithBackoffAndEveryAttemptIsSignedAfresh() throws IOException {
        bedrock.enqueue(request -> Reply.json(429, "{\"message\":\"Too many requests, please wait before trying again.\"}")
                .header("x-amzn-errortype", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/"));
        bedrock.enqueue(request -> Reply.json(429, "{\"message\":\"Model is not ready to serve inference requests.\"}")
                .header("x-amzn-errortype", "ModelNotReadyException:http://internal.amazon.com/coral/com.amazon.bedrock/"));
        bedrock.enqueue(request -> ConverseScript.text("Hello after two retries.").reply(request));

        BufferingSink sink = chat(config("{ mode: gateway, keys: [\"" + GATEWAY_KEY + "\"] }", ""), GATEWAY_KEY, ask("Hi"));

        assertThat(sink.status()).isEqualTo(200);
        assertThat(JSON.readTree(sink.body()).at("/choices/0/message/content").asText()).isEqualTo("Hello after two retries.");
        assertThat(bedrock.requests()).hasSize(3);
        assertThat(bedrock.authFailures()).isEmpty();
        assertThat(bedrock.requests()).allSatisfy(r -> assertThat(r.header("authorization")).startsWith("AWS4-HMAC-SHA256"));
    }

    @Test
    void aConfiguredApiKeyIsSentAsABearerTokenAndNeverEchoed() throws IOException {
        bedrock.expectBearer(API_KEY);
        bedrock.enqueue(request -> Reply.json(400, "{\"message\":\"Malformed input request: key " + API_KEY + " rejected\"}")
                .header("x-amzn-errortype", "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/"));
        GatewayConfig config = config("{ mode: gateway, keys: [\"" + GATEWAY_KEY + "\"] }", ", api_key: \"" + API_KEY + "\"");

        BufferingSink sink = chat(config, GATEWAY_KEY, ask("Hi"));

        assertThat(bedrock.authFailures()).isEmpty();
        assertThat(bedrock.requests().get(0).header("x-amz-date")).isNull();
        assertThat(sink.status()).isEqualTo(400);
        assertThat(sink.bodyText()).contains("Malformed input request").doesNotContain(API_KEY);
    }

    @Test
    void inClientModeTheCallersOwnBedrockKeyGoesUpstreamAndTheGatewaysCredentialsNever() throws IOException {
        bedrock.expectBearer(CALLERS_KEY);
        bedrock.handler(request -> ConverseScript.text("Hello, caller.").reply(request));

        BufferingSink sink = chat(config("{ mode: client }", ""), CALLERS_KEY, ask("Hi"));

        assertThat(sink.status()).isEqualTo(200);
        assertThat(bedrock.authFailures()).isEmpty();
        assertThat(bedrock.requests()).singleElement().satisfies(r -> assertThat(r.header("x-amz-security-token")).isNull());
    }

    @Test
    void theCallersRefusedKeyIsTheCallersPermissionProblemAndNotRetried() throws IOException {
        bedrock.expectBearer(CALLERS_KEY);
        bedrock.handler(request -> Reply.json(403, "{\"message\":\"You don't have access to the model with the specified model ID.\"}")
                .header("x-amzn-errortype", "AccessDeniedException:http://internal.amazon.com/coral/com.amazon.bedrock/"));

        BufferingSink sink = chat(config("{ mode: client }", ""), CALLERS_KEY, ask("Hi"));

        assertThat(sink.status()).isEqualTo(403);
        assertThat(bedrock.requests()).hasSize(1);
    }

    @Test
    void anImageByUrlIsAnsweredInTheClientsFormatWithoutCallingBedrock() throws IOException {
        String body = "{\"model\":\"haiku\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                + "\"image_url\":{\"url\":\"https://example.com/cat.png\"}}]}]}";

        BufferingSink sink = chat(config("{ mode: gateway, keys: [\"" + GATEWAY_KEY + "\"] }", ""), GATEWAY_KEY, body);

        assertThat(sink.status()).isEqualTo(400);
        JsonNode error = JSON.readTree(sink.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("message").asText()).contains("Amazon Bedrock takes images inline");
        assertThat(bedrock.requests()).isEmpty();
    }

    @Test
    void aStreamCutBeforeItsStopReasonEndsInAnErrorNotASilentSuccess() throws IOException {
        bedrock.handler(request -> Reply.frames(EventStreams.CONTENT_TYPE,
                ConverseScript.text("Half an answer").frames().subList(0, 3)));

        BufferingSink sink = chat(config("{ mode: gateway, keys: [\"" + GATEWAY_KEY + "\"] }", ""), GATEWAY_KEY,
                "{\"model\":\"haiku\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        assertThat(sink.status()).isEqualTo(200);
        assertThat(sink.bodyText()).contains("Half an").contains("\"error\"").doesNotContain("[DONE]");
    }
}
