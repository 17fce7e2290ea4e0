package io.llmgw.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.stream.BufferingSink;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.Reply;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Faults before the first byte on one deployment: the client gets one complete, correct answer
 * from the next. Faults after it: an in-stream error and no second answer appended.
 */
class FailoverTest {
    private FakeUpstream first;
    private FakeUpstream second;
    private GatewayHarness harness;

    @BeforeEach
    void start() {
        first = FakeUpstream.start();
        second = FakeUpstream.start();
        first.handler(ChatScript.text("from the first").handler());
        second.handler(ChatScript.text("from the second").chunkSize(100).handler());
        harness = harness("""
                auth: { mode: gateway, keys: ["${KEY}"] }
                providers:
                  a: { type: openai, base_url: "%s/v1", api_key: sk-a-0000000000000000, timeout: 1s }
                  b: { type: openai, base_url: "%s/v1", api_key: sk-b-0000000000000000, timeout: 1s }
                models:
                  m: { deployments: [ { provider: a, model: ma }, { provider: b, model: mb } ] }
                """.formatted(first.baseUrl(), second.baseUrl()));
    }

    /** The gateway under test, from its YAML. */
    GatewayHarness harness(String yaml) {
        return new GatewayHarness(yaml);
    }

    @AfterEach
    void stop() {
        harness.close();
        first.close();
        second.close();
    }

    private void assertServedBySecond(BufferingSink sink, boolean stream) {
        assertThat(sink.status()).as(sink.bodyText()).isEqualTo(200);
        assertThat(sink.bodyText()).contains("from the second").doesNotContain("from the first").doesNotContain("\"error\"");
        if (stream) {
            assertThat(sink.bodyText()).endsWith("data: [DONE]\n\n");
            assertThat(sink.bodyText().split("data: \\[DONE]", -1)).hasSize(2);
        }
        assertThat(second.lastRequest().json().get("model").asText()).isEqualTo("mb");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void rateLimitedFirstDeployment(boolean stream) {
        first.enqueue(Reply.json(429, "{\"error\":{\"message\":\"slow down\",\"code\":\"rate_limit_exceeded\"}}").header("retry-after", "30"));
        assertServedBySecond(harness.chat("m", stream), stream);
        assertThat(first.requests()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void serverErrorOnFirstDeployment(boolean stream) {
        first.enqueue(Reply.json(500, "{\"error\":{\"message\":\"boom\"}}"));
        assertServedBySecond(harness.chat("m", stream), stream);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void connectionRefusedByFirstDeployment(boolean stream) {
        first.close();
        assertServedBySecond(harness.chat("m", stream), stream);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readTimeoutOnFirstDeployment(boolean stream) {
        first.enqueue(Reply.json(200, ChatScript.text("too late").completion()).delayFirstByte(Duration.ofSeconds(3)));
        first.enqueue(request -> Reply.sse(ChatScript.text("too late").chunks(false)).delayFirstByte(Duration.ofSeconds(3)));
        assertServedBySecond(harness.chat("m", stream), stream);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void resetBeforeTheFirstByte(boolean stream) {
        first.enqueue(Reply.reset());
        assertServedBySecond(harness.chat("m", stream), stream);
    }

    @Test
    void resetAfterTheFirstByteIsAnInStreamErrorAndNoSecondAnswer() {
        first.enqueue(request -> Reply.sse(ChatScript.text("partial words here").chunkSize(3).chunks(true)).resetAfterEvents(3));
        BufferingSink sink = harness.chat("m", true);
        assertThat(sink.status()).isEqualTo(200);
        assertThat(sink.bodyText()).contains("data: {\"error\":").doesNotContain("[DONE]").doesNotContain("second");
        assertThat(second.requests()).isEmpty();
    }

    @Test
    void invalidRequestIsNotRetriedOrFailedOver() {
        first.enqueue(Reply.json(400, "{\"error\":{\"message\":\"bad field\",\"type\":\"invalid_request_error\"}}"));
        BufferingSink sink = harness.chat("m", false);
        assertThat(sink.status()).isEqualTo(400);
        assertThat(sink.bodyText()).contains("bad field");
        assertThat(second.requests()).isEmpty();
        assertThat(first.requests()).hasSize(1);
    }

    @Test
    void rejectedCredentialOnOneDeploymentFailsOverToAnother() {
        first.enqueue(Reply.json(401, "{\"error\":{\"message\":\"bad key\",\"code\":\"invalid_api_key\"}}"));
        assertServedBySecond(harness.chat("m", false), false);
    }

    @Test
    void everyDeploymentFailingAnswersWithTheLastError() {
        first.handler(request -> Reply.json(503, "{\"error\":{\"message\":\"overloaded a\"}}"));
        second.handler(request -> Reply.json(503, "{\"error\":{\"message\":\"overloaded b\"}}").header("retry-after", "60"));
        BufferingSink sink = harness.chat("m", false);
        assertThat(sink.status()).isEqualTo(503);
        assertThat(sink.headers().first("retry-after")).isEqualTo("60");
        // a, then b; b asks for 60 s, longer than the gateway waits itself, so the client gets it at once
        assertThat(first.requests()).hasSize(1);
        assertThat(second.requests()).hasSize(1);
    }
}
