package io.llmgw.core.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.llmgw.core.fuzz.ClientAnswers.Dialect;
import io.llmgw.core.http.Headers;
import org.junit.jupiter.api.AfterAll;

/**
 * Any bytes as the body of each model endpoint, sent as an authenticated client would, to a
 * gateway whose upstream is the built-in mock: the answer is a 2xx or a 4xx in the client's
 * dialect, never a 5xx. The seeds (in {@code ClientRequestFuzzTestInputs/<method>/}) are the bodies
 * real clients sent ({@code fixtures/real-clients}) plus every input a fuzzing run found failing.
 */
class ClientRequestFuzzTest {
    private static final FuzzGateway GATEWAY = FuzzGateway.mock();

    @AfterAll
    static void close() {
        GATEWAY.close();
    }

    @FuzzTest
    void chatCompletions(byte[] body) {
        post("/v1/chat/completions", body);
    }

    @FuzzTest
    void messages(byte[] body) {
        post("/v1/messages", body);
    }

    @FuzzTest
    void countTokens(byte[] body) {
        post("/v1/messages/count_tokens", body);
    }

    @FuzzTest
    void responses(byte[] body) {
        post("/v1/responses", body);
    }

    private static void post(String path, byte[] body) {
        Dialect dialect = Dialect.of(path);
        Headers headers = dialect == Dialect.ANTHROPIC
                ? Headers.of("content-type", "application/json", "x-api-key", FuzzGateway.KEY, "anthropic-version", "2023-06-01")
                : Headers.of("content-type", "application/json", "authorization", "Bearer " + FuzzGateway.KEY);
        ClientAnswers.assertClientAnswer(dialect, GATEWAY.send("POST", path, null, headers, body));
    }
}
