package io.llmgw.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.azure.testing.FakeContext;
import io.llmgw.azure.testing.FakeRequest;
import io.llmgw.azure.testing.FakeResponse;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.testing.ChatScript;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad requests get the gateway's 4xx in the client's own error format, also for what only Functions does to a request. */
class ClientErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MESSAGES = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private static FunctionsHarness harness;

    @BeforeAll
    static void start() {
        harness = new FunctionsHarness();
        harness.upstream.handler(ChatScript.text("ok").handler());
        harness.start();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static JsonNode json(FakeResponse response) throws Exception {
        return JSON.readTree(response.bodyText());
    }

    private static FakeRequest anthropic(String method, String path) {
        return FakeRequest.of(method, path).header("x-api-key", FunctionsHarness.GATEWAY_KEY).header("anthropic-version", "2023-06-01");
    }

    @Test
    void aChunkedBodyTheWorkerDroppedIsA400SayingWhyInOpenAisFormat() throws Exception {
        FakeResponse response = harness.call("chatCompletions", harness.authorized("POST", "/v1/chat/completions").chunkedBodyLost());

        assertThat(response.getStatusCode()).isEqualTo(400);
        JsonNode body = json(response);
        assertThat(body.at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(body.at("/error/message").asText()).isEqualTo(FunctionExchange.CHUNKED_BODY_LOST).contains("Transfer-Encoding: chunked");
        assertThat(harness.upstream.requests()).isEmpty();
    }

    @Test
    void aChunkedBodyTheWorkerDroppedIsA400SayingWhyInAnthropicsFormat() throws Exception {
        FakeResponse response = harness.call("messages", anthropic("POST", "/v1/messages").chunkedBodyLost());

        assertThat(response.getStatusCode()).isEqualTo(400);
        JsonNode body = json(response);
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(body.at("/error/message").asText()).isEqualTo(FunctionExchange.CHUNKED_BODY_LOST);
    }

    @Test
    void aChunkedRequestIsStillAuthenticatedFirstAndRoutesWithoutABodyAreUnaffected() throws Exception {
        FakeResponse anonymous = harness.call("responses", FakeRequest.of("POST", "/v1/responses").chunkedBodyLost());
        assertThat(anonymous.getStatusCode()).isEqualTo(401);
        assertThat(json(anonymous).at("/error/message").asText()).doesNotContain("chunked");

        assertThat(harness.call("models", harness.authorized("GET", "/v1/models").chunkedBodyLost()).getStatusCode()).isEqualTo(200);
    }

    @Test
    void missingKeysAre401InEachDialect() throws Exception {
        FakeResponse openAi = harness.call("chatCompletions", FakeRequest.of("POST", "/v1/chat/completions").json("{}"));
        assertThat(openAi.getStatusCode()).isEqualTo(401);
        assertThat(json(openAi).at("/error/type").asText()).isNotBlank();
        assertThat(json(openAi).has("type")).as("OpenAI errors have no top-level type").isFalse();

        FakeResponse anthropic = harness.call("messages", FakeRequest.of("POST", "/v1/messages").json(MESSAGES));
        assertThat(anthropic.getStatusCode()).isEqualTo(401);
        assertThat(json(anthropic).path("type").asText()).isEqualTo("error");
        assertThat(json(anthropic).at("/error/type").asText()).isEqualTo("authentication_error");
    }

    @Test
    void malformedAndOversizedBodiesAndWrongMethods() throws Exception {
        FakeResponse malformed = harness.call("messages", anthropic("POST", "/v1/messages").json("{\"model\":"));
        assertThat(malformed.getStatusCode()).isEqualTo(400);
        assertThat(json(malformed).at("/error/type").asText()).isEqualTo("invalid_request_error");

        String huge = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(GatewayRequest.MAX_BODY_BYTES) + "\"}]}";
        FakeResponse oversized = harness.call("chatCompletions", harness.authorized("POST", "/v1/chat/completions").json(huge));
        assertThat(oversized.getStatusCode()).isEqualTo(413);
        assertThat(json(oversized).at("/error/message").asText()).contains("10 MB");

        FakeResponse wrongMethod = harness.call("chatCompletions", harness.authorized("GET", "/v1/chat/completions"));
        assertThat(wrongMethod.getStatusCode()).isEqualTo(405);
        assertThat(wrongMethod.getHeader("allow")).contains("POST");
    }

    @Test
    void unknownPathsGet404InTheDialectOfTheirPrefix() throws Exception {
        FakeResponse anthropic = harness.call("fallback", anthropic("POST", "/v1/messages/batches").json(MESSAGES));
        assertThat(anthropic.getStatusCode()).isEqualTo(404);
        assertThat(json(anthropic).path("type").asText()).isEqualTo("error");

        FakeResponse openAi = harness.call("fallback", harness.authorized("GET", "/v1/files"));
        assertThat(openAi.getStatusCode()).isEqualTo(404);
        assertThat(json(openAi).at("/error/code").asText()).isEqualTo("unknown_url");
    }

    @Test
    void theRequestIdIsTheInvocationsOperationIdUnlessTheClientSentOne() {
        FakeContext context = new FakeContext("healthLive");
        FakeResponse response = harness.call("healthLive", FakeRequest.of("GET", "/health/live"), context);
        assertThat(response.getHeader("x-request-id")).isEqualTo(context.traceId());

        FakeResponse own = harness.call("healthLive", FakeRequest.of("GET", "/health/live").header("x-request-id", "client-req-42"));
        assertThat(own.getHeader("x-request-id")).isEqualTo("client-req-42");
    }

    @Test
    void noKeyInAnyResponse() {
        FakeResponse rejected = harness.call("chatCompletions", FakeRequest.of("POST", "/v1/chat/completions")
                .header("authorization", "Bearer sk-wrong-client-key-0123456789").json("{}"));
        FakeResponse config = harness.call("config", harness.authorized("GET", "/config"));
        for (FakeResponse response : new FakeResponse[] {rejected, config}) {
            assertThat(response.bodyText() + response.headers()).doesNotContain(FunctionsHarness.GATEWAY_KEY, FunctionsHarness.UPSTREAM_KEY,
                    "sk-wrong-client-key-0123456789");
        }
    }
}
