package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.testing.AnthropicScript;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.RecordedRequest;
import io.llmgw.testing.Reply;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Finding 6 of the hardening issue: upstreams that echo the key they received — in every field of
 * an error body, in rate-limit headers, in an error as the first stream event and in an error
 * event after some content — cannot make the gateway repeat it, on any client dialect and
 * upstream pairing, streamed or not, in gateway mode (the configured upstream key) and client mode
 * (the caller's own key): not in a response body, not in a response header, not in a log line.
 * Before the fix only the non-streamed {@code message} field was masked.
 */
@ExtendWith(OutputCaptureExtension.class)
class KeyEchoTest {
    private static final String CLIENT_KEY = "sk-client-echoed-key-5f4e3d2c1b0a99887766";

    enum Fault { ERROR_400, ERROR_429, FIRST_EVENT_ERROR, MID_STREAM_ERROR }

    /** A client dialect on a path, and the model that routes it to one of the two upstreams. */
    record Pairing(String name, String path, String model) {}

    private static final List<Pairing> PAIRINGS = List.of(
            new Pairing("chat passthrough", "/v1/chat/completions", "gpt-4o"),
            new Pairing("chat client to Anthropic upstream", "/v1/chat/completions", "claude-echo"),
            new Pairing("Anthropic client to chat upstream", "/v1/messages", "gpt-4o"),
            new Pairing("Responses client to chat upstream", "/v1/responses", "gpt-4o"),
            new Pairing("Anthropic passthrough", "/v1/messages", "claude-echo"));

    private final AtomicReference<Fault> fault = new AtomicReference<>();

    /** The key as the upstream received it, from whichever header its dialect carries it in. */
    private static String receivedKey(RecordedRequest request) {
        String bearer = request.header("authorization");
        if (bearer != null) {
            return bearer.substring("Bearer ".length());
        }
        return request.header("x-api-key") != null ? request.header("x-api-key") : request.header("api-key");
    }

    private static String openAiError(String key) {
        return "{\"error\":{\"message\":\"Incorrect API key provided: " + key + "\",\"type\":\"" + key + "\",\"param\":\"" + key
                + "\",\"code\":\"" + key + "\"}}";
    }

    private static String anthropicError(String key) {
        return "{\"type\":\"error\",\"error\":{\"type\":\"" + key + "\",\"message\":\"invalid x-api-key " + key + "\",\"param\":\""
                + key + "\",\"code\":\"" + key + "\"},\"request_id\":\"" + key + "\"}";
    }

    private static Reply withEchoedHeaders(Reply reply, String key) {
        return reply.header("x-ratelimit-remaining-requests", key).header("x-ratelimit-limit-tokens", "for " + key)
                .header("anthropic-ratelimit-requests-remaining", key).header("retry-after-ms", "1").header("request-id", key);
    }

    private Reply chatUpstream(RecordedRequest request) {
        String key = receivedKey(request);
        return switch (fault.get()) {
            case ERROR_400 -> withEchoedHeaders(Reply.json(400, openAiError(key)), key);
            case ERROR_429 -> withEchoedHeaders(Reply.json(429, openAiError(key)), key);
            case FIRST_EVENT_ERROR -> withEchoedHeaders(Reply.sse(openAiError(key)), key);
            case MID_STREAM_ERROR -> {
                List<String> chunks = new ArrayList<>(ChatScript.text("partial answer").model("gpt-4o").chunks(false));
                List<String> content = new ArrayList<>(chunks.subList(0, chunks.size() - 2));  // no finish chunk, no [DONE]
                content.add(openAiError(key));
                yield withEchoedHeaders(Reply.sse(content), key);
            }
        };
    }

    private Reply anthropicUpstream(RecordedRequest request) {
        String key = receivedKey(request);
        String errorFrame = "event: error\ndata: " + anthropicError(key) + "\n\n";
        return switch (fault.get()) {
            case ERROR_400 -> withEchoedHeaders(Reply.json(400, anthropicError(key)), key);
            case ERROR_429 -> withEchoedHeaders(Reply.json(429, anthropicError(key)), key);
            case FIRST_EVENT_ERROR -> withEchoedHeaders(Reply.rawSse(List.of(errorFrame)), key);
            case MID_STREAM_ERROR -> {
                List<String> frames = new ArrayList<>(AnthropicScript.text("partial answer").model("claude-echo").frames().subList(0, 3));
                frames.add(errorFrame);
                yield withEchoedHeaders(Reply.rawSse(frames), key);
            }
        };
    }

    private static String body(Pairing pairing, boolean stream) {
        return switch (pairing.path()) {
            case "/v1/messages" -> "{\"model\":\"" + pairing.model() + "\",\"max_tokens\":16,\"stream\":" + stream
                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            case "/v1/responses" -> "{\"model\":\"" + pairing.model() + "\",\"stream\":" + stream + ",\"input\":\"hi\"}";
            default -> "{\"model\":\"" + pairing.model() + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        };
    }

    private static HttpResponse<String> send(TestGateway gateway, Pairing pairing, boolean stream, String presentedKey) {
        return pairing.path().equals("/v1/messages")
                ? gateway.postJson(pairing.path(), body(pairing, stream), "x-api-key", presentedKey, "anthropic-version", "2023-06-01")
                : gateway.postJson(pairing.path(), body(pairing, stream), "authorization", "Bearer " + presentedKey);
    }

    /** Every pairing, streamed and not, under every fault; asserts none of {@code keys} comes back, and returns what was seen. */
    private List<String> echoEverywhere(String auth, String apiKey, String presentedKey, String echoedKey, CapturedOutput output,
                                        String... keys) {
        List<String> seen = new ArrayList<>();
        try (FakeUpstream chat = FakeUpstream.start().handler(this::chatUpstream);
             FakeUpstream anthropic = FakeUpstream.start().handler(this::anthropicUpstream);
             TestGateway gateway = TestGateway.start(("""
                     %s
                     providers:
                       chat: { type: openai, base_url: "%s/v1"%s }
                       anth: { type: anthropic, base_url: "%s"%s }
                     models:
                       "claude-*": { deployments: [ { provider: anth } ] }
                       "*": { deployments: [ { provider: chat } ] }
                     # every fault here is scripted: the breaker must not take a deployment out of the test
                     routing: { retries: 0, circuit_breaker: { consecutive_failures: 1000, failure_rate: 100 } }
                     """).formatted(auth, chat.baseUrl(), apiKey, anthropic.baseUrl(), apiKey))) {
            for (Pairing pairing : PAIRINGS) {
                for (boolean stream : List.of(false, true)) {
                    for (Fault f : Fault.values()) {
                        if (!stream && (f == Fault.FIRST_EVENT_ERROR || f == Fault.MID_STREAM_ERROR)) {
                            continue;
                        }
                        fault.set(f);
                        int before = chat.requests().size() + anthropic.requests().size();
                        HttpResponse<String> response = send(gateway, pairing, stream, presentedKey);
                        String what = pairing.name() + (stream ? ", streamed, " : ", ") + f;
                        List<RecordedRequest> all = new ArrayList<>(chat.requests());
                        all.addAll(anthropic.requests());
                        assertThat(all).as(what + ": reached an upstream").hasSize(before + 1);
                        assertThat(all).as(what + ": the upstream had the key to echo")
                                .anyMatch(r -> echoedKey.equals(receivedKey(r)));
                        for (String key : keys) {
                            assertThat(response.body()).as(what + ": body").doesNotContain(key);
                            response.headers().map().forEach((name, values) ->
                                    assertThat(String.join(",", values)).as(what + ": header " + name).doesNotContain(key));
                        }
                        seen.add(what + " -> " + response.statusCode() + " " + response.headers().firstValue("x-ratelimit-remaining-requests")
                                .orElse("") + " " + response.body().replace('\n', ' '));
                    }
                }
            }
        }
        for (String key : keys) {
            assertThat(output.getAll()).as("log lines").doesNotContain(key);
        }
        return seen;
    }

    private static void assertTheEchoesCameBackMasked(List<String> seen, String echoedKey) {
        String masked = echoedKey.substring(0, 6) + "..." + echoedKey.substring(echoedKey.length() - 4);
        // The test is only as good as its echoes: the upstream's text and headers did flow through, with the key masked.
        assertThat(seen).anyMatch(s -> s.contains("400") && s.contains(masked));
        assertThat(seen).filteredOn(s -> s.contains(", ERROR_429 -> ")).allMatch(s -> s.contains(" 429 " + masked));
        // mid-stream: the content went out with a 200, then the upstream's error event, masked
        assertThat(seen).filteredOn(s -> s.contains("streamed, MID_STREAM_ERROR")).hasSize(PAIRINGS.size())
                .allMatch(s -> s.contains(" -> 200 ") && s.contains(masked));
    }

    @Test
    void gatewayModeNeverRepeatsTheConfiguredUpstreamKey(CapturedOutput output) {
        List<String> seen = echoEverywhere("auth: { mode: gateway, keys: [\"${GW_KEY}\"] }", ", api_key: \"${UP_KEY}\"",
                TestGateway.GATEWAY_KEY, TestGateway.UPSTREAM_KEY, output, TestGateway.UPSTREAM_KEY, TestGateway.GATEWAY_KEY);
        assertTheEchoesCameBackMasked(seen, TestGateway.UPSTREAM_KEY);
    }

    @Test
    void clientModeNeverRepeatsTheCallersOwnKey(CapturedOutput output) {
        List<String> seen = echoEverywhere("auth: { mode: client }", "", CLIENT_KEY, CLIENT_KEY, output, CLIENT_KEY);
        assertTheEchoesCameBackMasked(seen, CLIENT_KEY);
    }
}
