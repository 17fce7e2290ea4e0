package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.Reply;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Upstream faults before the first byte reach the client as the matching OpenAI-form error with
 * retry hints kept; faults after it end the stream with an error event, never a clean end.
 */
@ExtendWith(OutputCaptureExtension.class)
class UpstreamFaultTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String STREAM = "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String RATE_LIMITED = "{\"error\":{\"message\":\"Rate limit reached for requests\",\"type\":\"requests\","
            + "\"param\":null,\"code\":\"rate_limit_exceeded\"}}";

    private static FakeUpstream upstream;
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        upstream = FakeUpstream.start();
        // Each fault must reach the client as it is: no retries here, and no circuit opening across tests
        // (failover, retries and breakers have their own tests).
        gateway = TestGateway.start(TestGateway.singleUpstream("openai", upstream.baseUrl()).replace("timeout: 5s", "timeout: 1s")
                + "routing:\n  retries: 0\n  circuit_breaker: { consecutive_failures: 1000, window: 1000, failure_rate: 100 }\n");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.clear();
        upstream.handler(ChatScript.text("fine").handler());
    }

    @Test
    void rateLimitKeepsRetryAfter() {
        for (String body : List.of(CHAT, STREAM)) {
            upstream.enqueue(Reply.json(429, RATE_LIMITED).header("retry-after", "7").header("retry-after-ms", "6500")
                    .header("x-ratelimit-remaining-requests", "0"));
            HttpResponse<String> response = gateway.postJsonWithKey("/v1/chat/completions", body);
            assertThat(response.statusCode()).isEqualTo(429);
            assertThat(response.headers().firstValue("retry-after")).contains("7");
            assertThat(response.headers().firstValue("retry-after-ms")).contains("6500");
            assertThat(response.headers().firstValue("x-ratelimit-remaining-requests")).contains("0");
            JsonNode error = error(response);
            assertThat(error.get("code").asText()).isEqualTo("rate_limit_exceeded");
            assertThat(error.get("message").asText()).isEqualTo("Rate limit reached for requests");
        }
    }

    @Test
    void rateLimitThroughTheSdk() {
        upstream.enqueue(Reply.json(429, RATE_LIMITED).header("retry-after", "3"));
        assertThatThrownBy(() -> gateway.openAi().chat().completions().create(params()))
                .isInstanceOfSatisfying(RateLimitException.class,
                        e -> assertThat(e.headers().values("retry-after")).containsExactly("3"));
    }

    @Test
    void serverErrorBeforeTheFirstByte() {
        for (String body : List.of(CHAT, STREAM)) {
            upstream.enqueue(Reply.json(500, "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}"));
            HttpResponse<String> response = gateway.postJsonWithKey("/v1/chat/completions", body);
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(error(response).get("type").asText()).isEqualTo("server_error");
            assertThat(error(response).get("message").asText()).isEqualTo("The server had an error");
        }
    }

    @Test
    void connectionResetBeforeTheFirstByte() {
        for (String body : List.of(CHAT, STREAM)) {
            upstream.enqueue(Reply.reset());
            HttpResponse<String> response = gateway.postJsonWithKey("/v1/chat/completions", body);
            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(error(response).get("type").asText()).isEqualTo("server_error");
            assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        }
    }

    @Test
    void resetAfterStreamStartsBeforeAnyEventIsA502() {
        upstream.enqueue(request -> Reply.sse(ChatScript.text("never").chunks(true)).resetAfterEvents(0));
        HttpResponse<String> response = gateway.postJsonWithKey("/v1/chat/completions", STREAM);
        assertThat(response.statusCode()).isEqualTo(502);
    }

    @Test
    void resetAfterTheFirstByteEndsTheStreamWithAnErrorEvent() {
        upstream.enqueue(request -> Reply.sse(ChatScript.text("partial answer here").chunkSize(4).chunks(true)).resetAfterEvents(3));
        HttpResponse<String> response = gateway.postJsonWithKey("/v1/chat/completions", STREAM);

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> events = response.body().lines().filter(l -> l.startsWith("data: ")).toList();
        assertThat(events).hasSize(4);
        assertThat(events.get(1)).contains("\"content\":\"part\"");
        assertThat(events.get(3)).startsWith("data: {\"error\":");
        assertThat(response.body()).doesNotContain("[DONE]");
    }

    @Test
    void resetAfterTheFirstByteRaisesInTheSdk() {
        upstream.enqueue(request -> Reply.sse(ChatScript.text("partial answer here").chunkSize(4).chunks(true)).resetAfterEvents(3));
        List<ChatCompletionChunk> received = new ArrayList<>();
        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> stream = gateway.openAi().chat().completions().createStreaming(params())) {
                stream.stream().forEach(received::add);
            }
        }).isInstanceOf(OpenAIException.class);
        assertThat(received).hasSize(3);
    }

    @Test
    void streamCutWithoutFinishIsAnErrorNotACleanEnd() {
        List<String> chunks = ChatScript.text("cut short").chunkSize(3).chunks(false);
        upstream.enqueue(Reply.sse(chunks.subList(0, 3)));
        HttpResponse<String> response = gateway.postJsonWithKey("/v1/chat/completions", STREAM);
        assertThat(response.body()).contains("\"code\":\"upstream_stream_truncated\"").doesNotContain("[DONE]");
    }

    @Test
    void upstreamErrorEventMidStream() {
        List<String> events = new ArrayList<>(ChatScript.text("abc").chunks(false).subList(0, 2));
        events.add("{\"error\":{\"message\":\"model overloaded\",\"type\":\"server_error\"}}");
        upstream.enqueue(Reply.sse(events));
        HttpResponse<String> response = gateway.postJsonWithKey("/v1/chat/completions", STREAM);
        assertThat(response.body()).contains("data: {\"error\":{\"message\":\"model overloaded\"").doesNotContain("[DONE]");
    }

    @Test
    void noFirstByteWithinTheTimeoutIsA504() {
        upstream.enqueue(Reply.json(200, ChatScript.text("late").completion()).delayFirstByte(Duration.ofSeconds(3)));
        HttpResponse<String> response = gateway.postJsonWithKey("/v1/chat/completions", CHAT);
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(error(response).get("type").asText()).isEqualTo("server_error");
    }

    @Test
    void slowStreamPastTheTimeoutEndsWithAnErrorEvent() {
        upstream.enqueue(request -> Reply.sse(ChatScript.text("slow slow slow").chunkSize(2).chunks(true)).eventDelay(Duration.ofMillis(300)));
        HttpResponse<String> response = gateway.postJsonWithKey("/v1/chat/completions", STREAM);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"code\":\"upstream_timeout\"").doesNotContain("[DONE]");
    }

    @Test
    void contentFilterRejectionKeepsItsCode() {
        upstream.enqueue(Reply.json(400, "{\"error\":{\"code\":\"content_filter\",\"message\":\"The response was filtered\","
                + "\"param\":\"prompt\",\"status\":400}}"));
        HttpResponse<String> response = gateway.postJsonWithKey("/v1/chat/completions", CHAT);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).get("code").asText()).isEqualTo("content_filter");
        assertThat(error(response).get("param").asText()).isEqualTo("prompt");
    }

    @Test
    void rejectedUpstreamKeyIsNotTheClientsFaultAndIsNeverEchoed(CapturedOutput output) {
        upstream.enqueue(Reply.json(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + TestGateway.UPSTREAM_KEY
                + ".\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));
        HttpResponse<String> response = gateway.postJsonWithKey("/v1/chat/completions", CHAT);
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(error(response).get("code").asText()).isEqualTo("upstream_credential_rejected");
        assertThat(response.body()).doesNotContain(TestGateway.UPSTREAM_KEY).contains("sk-ups...1706");
        assertThat(output.getAll()).doesNotContain(TestGateway.UPSTREAM_KEY);
    }

    private static ChatCompletionCreateParams params() {
        return ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage("hi").build();
    }

    private static JsonNode error(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body()).get("error");
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }
}
