package io.llmgw.core.protocol.anthropic;

import io.llmgw.core.auth.KeyScrubber;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AnthropicUpstreamErrorsTest {
    private static final String KEY = "sk-ant-api03-SECRETSECRETSECRET0123456789";

    private static byte[] body(String type, String message) {
        return ("{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"},\"request_id\":\"req_1\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void rateLimitKeepsRetryHintsAndRateLimitHeaders() {
        GatewayError error = AnthropicUpstreamErrors.fromUpstream(429, Headers.of("retry-after", "12",
                "anthropic-ratelimit-tokens-remaining", "0"), body("rate_limit_error", "Slow down"), true);

        assertThat(error.kind()).isEqualTo(ErrorKind.RATE_LIMIT);
        assertThat(error.status()).isEqualTo(429);
        assertThat(error.retryAfter()).isEqualTo(Duration.ofSeconds(12));
        assertThat(error.upstreamHeaders().first("anthropic-ratelimit-tokens-remaining")).isEqualTo("0");
    }

    @Test
    void overloadIs503ForOpenAiClientsAnd529ForAnthropicOnes() {
        GatewayError error = AnthropicUpstreamErrors.fromUpstream(529, new Headers(), body("overloaded_error", "Overloaded"), true);

        assertThat(error.kind()).isEqualTo(ErrorKind.OVERLOADED);
        assertThat(error.status()).isEqualTo(503);
        assertThat(AnthropicErrorTypes.status(error)).isEqualTo(529);
    }

    @Test
    void theGatewaysOwnKeyRefusedIsA502WithTheKeyMasked() {
        GatewayError error = AnthropicUpstreamErrors.fromUpstream(401, new Headers(),
                body("authentication_error", "invalid x-api-key " + KEY), true);

        assertThat(error.kind()).isEqualTo(ErrorKind.CREDENTIAL);
        assertThat(error.status()).isEqualTo(502);
        // what leaves the gateway passes its scrubber, which knows the configured key
        assertThat(new KeyScrubber(List.of(KEY)).scrub(error.message())).doesNotContain(KEY).contains("sk-ant...6789");
    }

    @Test
    void aClientsOwnKeyRefusedStaysA401() {
        GatewayError error = AnthropicUpstreamErrors.fromUpstream(401, new Headers(), body("authentication_error", "invalid x-api-key"), false);
        assertThat(error.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
        assertThat(error.status()).isEqualTo(401);
    }

    @Test
    void promptTooLongAndEmptyCreditAreRecognised() {
        assertThat(AnthropicUpstreamErrors.fromUpstream(400, new Headers(),
                body("invalid_request_error", "prompt is too long: 208310 tokens > 200000 maximum"), false).kind())
                .isEqualTo(ErrorKind.CONTEXT_LENGTH);
        assertThat(AnthropicUpstreamErrors.fromUpstream(400, new Headers(), body("invalid_request_error",
                "Your credit balance is too low to access the Anthropic API."), false).kind()).isEqualTo(ErrorKind.QUOTA);
        assertThat(AnthropicUpstreamErrors.fromUpstream(400, new Headers(), body("invalid_request_error", "messages: bad"), false)
                .kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    }

    @Test
    void aBodyThatIsNotAnthropicsFallsBackToTheStatus() {
        GatewayError error = AnthropicUpstreamErrors.fromUpstream(502, new Headers(), "<html>Bad gateway</html>".getBytes(StandardCharsets.UTF_8),
                false);
        assertThat(error.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
        assertThat(error.message()).isEqualTo("The upstream answered HTTP 502.");
    }
}
