package io.llmgw.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.Headers;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bedrock's error types in the gateway's failure classes, with the status a client sees. */
class BedrockErrorsTest {
    private static GatewayError response(int status, String type, String message, boolean gatewayKey) {
        Headers headers = Headers.of("x-amzn-errortype", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
        return BedrockErrors.fromResponse(status, headers, ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8), gatewayKey);
    }

    @ParameterizedTest(name = "{1} {0} -> {3} {4}")
    @CsvSource({
        "429, ThrottlingException, Too many requests, RATE_LIMIT, 429",
        "400, ServiceQuotaExceededException, Your request exceeds the service quota, QUOTA, 429",
        "429, ModelNotReadyException, Model is not ready, OVERLOADED, 503",
        "503, ServiceUnavailableException, Service unavailable, OVERLOADED, 503",
        "400, ValidationException, Input is too long for requested model., CONTEXT_LENGTH, 400",
        "400, ValidationException, 'prompt is too long: 210000 tokens > 200000 maximum', CONTEXT_LENGTH, 400",
        "400, ValidationException, 'input length and `max_tokens` exceed context limit: 187254 + 20000 > 200000', CONTEXT_LENGTH, 400",
        "400, ValidationException, The provided model identifier is invalid., INVALID_REQUEST, 400",
        "404, ResourceNotFoundException, Model not found, NOT_FOUND, 404",
        "408, ModelTimeoutException, Model timed out, TIMEOUT, 504",
        "424, ModelErrorException, The model failed, UPSTREAM_ERROR, 502",
        "500, InternalServerException, Internal error, UPSTREAM_ERROR, 500",
    })
    void errorResponses(int status, String type, String message, ErrorKind kind, int clientStatus) {
        GatewayError error = response(status, type, message, true);

        assertThat(error.kind()).isEqualTo(kind);
        assertThat(error.status()).isEqualTo(clientStatus);
        assertThat(error.message()).isEqualTo(message);
    }

    @Test
    void accessDeniedIsTheGatewaysCredentialOrTheCallersPermission() {
        GatewayError gateways = response(403, "AccessDeniedException", "You don't have access to the model", true);
        GatewayError callers = response(403, "AccessDeniedException", "You don't have access to the model", false);

        assertThat(gateways.kind()).isEqualTo(ErrorKind.CREDENTIAL);
        assertThat(gateways.status()).isEqualTo(502);
        assertThat(gateways.kind().retryable()).as("another deployment may hold other credentials").isTrue();
        assertThat(callers.kind()).isEqualTo(ErrorKind.PERMISSION);
        assertThat(callers.status()).isEqualTo(403);
    }

    @Test
    void aRefusedSignatureOrTokenIsAuthentication() {
        assertThat(response(403, "UnrecognizedClientException", "The security token included in the request is invalid.", true).kind())
                .isEqualTo(ErrorKind.CREDENTIAL);
        GatewayError callers = response(403, "ExpiredTokenException", "The security token included in the request is expired", false);
        assertThat(callers.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
        assertThat(callers.status()).isEqualTo(401);
    }

    @Test
    void theTypeIsReadFromTheBodyWhenTheHeaderIsMissing() {
        GatewayError error = BedrockErrors.fromResponse(429, new Headers(),
                "{\"__type\":\"com.amazon.coral.availability#ThrottlingException\",\"Message\":\"Rate exceeded\"}".getBytes(StandardCharsets.UTF_8),
                true);

        assertThat(error.kind()).isEqualTo(ErrorKind.RATE_LIMIT);
        assertThat(error.message()).isEqualTo("Rate exceeded");
    }

    @Test
    void aBodyThatIsNotJsonFallsBackToTheStatus() {
        GatewayError error = BedrockErrors.fromResponse(503, new Headers(), "<html>busy</html>".getBytes(StandardCharsets.UTF_8), true);

        assertThat(error.kind()).isEqualTo(ErrorKind.OVERLOADED);
        assertThat(error.message()).isEqualTo("The upstream answered HTTP 503.");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "throttlingException, RATE_LIMIT, 429",
        "validationException, INVALID_REQUEST, 400",
        "serviceUnavailableException, OVERLOADED, 503",
        "modelStreamErrorException, UPSTREAM_ERROR, 500",
        "internalServerException, UPSTREAM_ERROR, 500",
    })
    void exceptionFrames(String type, ErrorKind kind, int status) {
        GatewayError error = BedrockErrors.fromFrame(type, "{\"message\":\"went wrong\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(error.kind()).isEqualTo(kind);
        assertThat(error.status()).isEqualTo(status);
        assertThat(error.message()).isEqualTo("went wrong");
    }
}
