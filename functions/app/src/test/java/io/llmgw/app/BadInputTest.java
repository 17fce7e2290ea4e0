package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Every kind of bad input gets a 4xx in OpenAI's error format, and no key ever reaches the logs. */
@ExtendWith(OutputCaptureExtension.class)
class BadInputTest extends OneChatUpstreamGateway {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WRONG_KEY = "sk-wrong-key-ffffffffffffffffffffffffffff";
    private static final String VALID = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";


    @Test
    void malformedJson(CapturedOutput output) {
        HttpResponse<String> response = gateway.postJsonWithKey("/v1/chat/completions", "{\"model\": \"gpt-4o\", \"messages\": [");
        assertOpenAiError(response, 400, "invalid_request_error");
        assertThat(error(response).get("message").asText()).contains("not valid JSON");
        assertNoKeysIn(output);
    }

    @Test
    void wrongContentType(CapturedOutput output) {
        HttpResponse<String> response = gateway.send("POST", "/v1/chat/completions", VALID,
                "content-type", "application/x-www-form-urlencoded", "authorization", "Bearer " + TestGateway.GATEWAY_KEY);
        assertOpenAiError(response, 415, "invalid_request_error");
        assertNoKeysIn(output);
    }

    @Test
    void bodyOverTenMegabytes(CapturedOutput output) {
        String huge = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}]}";
        HttpResponse<String> response = gateway.postJsonWithKey("/v1/chat/completions", huge);
        assertOpenAiError(response, 413, "invalid_request_error");
        assertThat(upstream.requests()).noneMatch(r -> r.body().length > 1024 * 1024);
        assertNoKeysIn(output);
    }

    @Test
    void missingModel(CapturedOutput output) {
        HttpResponse<String> response = gateway.postJsonWithKey("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertOpenAiError(response, 400, "invalid_request_error");
        assertThat(error(response).get("param").asText()).isEqualTo("model");
        assertNoKeysIn(output);
    }

    @Test
    void missingMessages() {
        HttpResponse<String> response = gateway.postJsonWithKey("/v1/chat/completions", "{\"model\":\"gpt-4o\"}");
        assertOpenAiError(response, 400, "invalid_request_error");
        assertThat(error(response).get("param").asText()).isEqualTo("messages");
    }

    @Test
    void unknownModel(CapturedOutput output) {
        HttpResponse<String> response = gateway.postJsonWithKey("/v1/chat/completions", VALID.replace("gpt-4o", "gpt-unknown"));
        assertOpenAiError(response, 404, "invalid_request_error");
        assertThat(error(response).get("code").asText()).isEqualTo("model_not_found");
        assertNoKeysIn(output);
    }

    @Test
    void missingKey(CapturedOutput output) {
        HttpResponse<String> response = gateway.postJson("/v1/chat/completions", VALID);
        assertOpenAiError(response, 401, "invalid_request_error");
        assertThat(error(response).get("code").asText()).isEqualTo("invalid_api_key");
        assertNoKeysIn(output);
    }

    @Test
    void wrongKeyInEveryAcceptedHeader(CapturedOutput output) {
        for (String[] header : new String[][] {{"authorization", "Bearer " + WRONG_KEY}, {"x-api-key", WRONG_KEY}, {"api-key", WRONG_KEY}}) {
            HttpResponse<String> response = gateway.postJson("/v1/chat/completions", VALID, header[0], header[1]);
            assertOpenAiError(response, 401, "invalid_request_error");
            assertThat(response.body()).doesNotContain(WRONG_KEY);
        }
        assertNoKeysIn(output);
    }

    @Test
    void wrongKeyThroughTheSdk(CapturedOutput output) {
        assertThatThrownBy(() -> gateway.openAi(WRONG_KEY).chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-4o").addUserMessage("hi").build()))
                .isInstanceOf(UnauthorizedException.class)
                .hasMessageContaining("Invalid API key");
        assertNoKeysIn(output);
    }

    @Test
    void correctKeyInEachHeaderIsAccepted() {
        for (String[] header : new String[][] {{"authorization", "Bearer " + TestGateway.GATEWAY_KEY},
                {"x-api-key", TestGateway.GATEWAY_KEY}, {"api-key", TestGateway.GATEWAY_KEY}}) {
            assertThat(gateway.postJson("/v1/chat/completions", VALID, header[0], header[1]).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void unknownRoute(CapturedOutput output) {
        HttpResponse<String> response = gateway.send("GET", "/v1/unknown", null, "authorization", "Bearer " + TestGateway.GATEWAY_KEY);
        assertOpenAiError(response, 404, "invalid_request_error");
        assertNoKeysIn(output);
    }

    @Test
    void wrongMethod() {
        HttpResponse<String> response = gateway.send("GET", "/v1/chat/completions", null, "authorization", "Bearer " + TestGateway.GATEWAY_KEY);
        assertOpenAiError(response, 405, "invalid_request_error");
        assertThat(response.headers().firstValue("allow")).contains("POST");
    }

    @Test
    void requestLogLineHasTheOutcomeButNoBodyOrKey(CapturedOutput output) {
        gateway.postJsonWithKey("/v1/chat/completions", VALID.replace("hi", "a-very-private-prompt"));
        // The line is written once the response is complete, which can be just after the client has it.
        String line = null;
        for (int i = 0; i < 100 && line == null; i++) {
            line = output.getOut().lines().filter(l -> l.contains("\"message\":\"request\"") && l.contains("\"status\":200"))
                    .reduce((a, b) -> b).orElse(null);
            sleep(20);
        }
        assertThat(line).as("request log line").isNotNull();
        assertThat(line).contains("\"status\":200", "\"dialect\":\"openai-chat\"", "\"model\":\"gpt-4o\"", "\"upstream\":\"up/gpt-4o-prod\"",
                "\"duration_ms\"", "\"ttfb_ms\"", "\"input_tokens\"", "\"output_tokens\"", "\"request_id\"",
                "\"client_key\":\"" + TestGateway.GATEWAY_KEY.substring(0, 6) + "..." + TestGateway.GATEWAY_KEY.substring(TestGateway.GATEWAY_KEY.length() - 4));
        assertThat(output.getAll()).doesNotContain("a-very-private-prompt");
        assertNoKeysIn(output);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static JsonNode error(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body()).get("error");
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static void assertOpenAiError(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode error = error(response);
        assertThat(error).as(response.body()).isNotNull();
        assertThat(error.get("type").asText()).isEqualTo(type);
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception", "at io.llmgw", TestGateway.GATEWAY_KEY, TestGateway.UPSTREAM_KEY);
    }

    private static void assertNoKeysIn(CapturedOutput output) {
        assertThat(output.getAll()).doesNotContain(TestGateway.GATEWAY_KEY, TestGateway.UPSTREAM_KEY, WRONG_KEY);
    }
}
