package io.llmgw.core.fuzz;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.llmgw.core.fuzz.ClientAnswers.Dialect;
import io.llmgw.core.http.Headers;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.Reply;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * Whatever an upstream answers, a client gets a readable answer in its own dialect and the gateway
 * does not fail unexpectedly. A fake upstream on loopback answers every call with the fuzzed bytes
 * (as an event stream when the call streams, else as JSON); the gateway in front of it has an
 * OpenAI-compatible and an Anthropic provider, so the bytes reach the chat-completions stream and
 * response decoders, Anthropic's, the upstream error readers and each client dialect's encoders.
 *
 * <p>The first input byte picks the scenario: bit 0 the upstream (OpenAI-compatible or Anthropic),
 * bit 1 streaming, bits 2–3 the client (Chat Completions, Messages, Responses, count_tokens); the
 * second picks the upstream's status. The rest is the upstream's body. Seeds: the golden cases'
 * upstream streams and bodies, each with the scenario it was recorded for.
 */
class UpstreamReplyFuzzTest {
    private static final int[] STATUSES = {200, 200, 200, 200, 400, 429, 500, 529};
    private static final FakeUpstream UPSTREAM = FakeUpstream.start();
    private static volatile byte[] upstreamBody = new byte[0];
    private static volatile int upstreamStatus = 200;
    private static final FuzzGateway GATEWAY;

    static {
        UPSTREAM.handler(request -> Reply.body(upstreamStatus,
                request.wantsStream() && upstreamStatus == 200 ? "text/event-stream" : "application/json", upstreamBody));
        GATEWAY = new FuzzGateway(Map.of("GATEWAY_CONFIG", FuzzFiles.write("upstream-fuzz", ".yaml", """
                auth: { mode: gateway, keys: ["%s"] }
                providers:
                  compatible: { type: openai, base_url: "%s/v1", api_key: "sk-fuzz-upstream-0123456789", timeout: 5s }
                  claude: { type: anthropic, base_url: "%s", api_key: "sk-ant-fuzz-upstream-0123456789", timeout: 5s }
                routing: { retries: 0 }
                models:
                  "gpt-*": { deployments: [ { provider: compatible } ] }
                  "claude-*": { deployments: [ { provider: claude } ] }
                """.formatted(FuzzGateway.KEY, UPSTREAM.baseUrl(), UPSTREAM.baseUrl())).toString()), FuzzGateway.leapingClock());
    }

    @AfterAll
    static void close() {
        GATEWAY.close();
        UPSTREAM.close();
    }

    @FuzzTest
    void anyUpstreamReply(byte[] input) {
        int scenario = input.length > 0 ? input[0] & 0xff : 0;
        upstreamStatus = STATUSES[input.length > 1 ? (input[1] & 0xff) % STATUSES.length : 0];
        upstreamBody = input.length > 2 ? Arrays.copyOfRange(input, 2, input.length) : new byte[0];
        boolean anthropicUpstream = (scenario & 1) != 0;
        String model = anthropicUpstream ? "claude-sonnet-4-5" : "gpt-4o";
        boolean stream = (scenario & 2) != 0;
        String path;
        String body;
        int client = (scenario >> 2) & 3;
        switch (client) {
            case 0 -> {
                path = "/v1/chat/completions";
                body = """
                        {"model":"%s","stream":%s,%s"messages":[{"role":"user","content":"Weather in Paris?"}],
                         "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
                         "properties":{"city":{"type":"string"}}}}}]}""".formatted(model, stream,
                        stream ? "\"stream_options\":{\"include_usage\":true}," : "");
            }
            case 1 -> {
                path = "/v1/messages";
                body = """
                        {"model":"%s","stream":%s,"max_tokens":1024,"messages":[{"role":"user","content":"Weather in Paris?"}],
                         "tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}]}"""
                        .formatted(model, stream);
            }
            case 2 -> {
                path = "/v1/responses";
                body = """
                        {"model":"%s","stream":%s,"input":"Weather in Paris?","tools":[{"type":"function","name":"get_weather",
                         "parameters":{"type":"object","properties":{"city":{"type":"string"}}}},
                         {"type":"custom","name":"apply_patch","description":"Apply a patch"}]}""".formatted(model, stream);
            }
            default -> {
                path = "/v1/messages/count_tokens";
                body = """
                        {"model":"%s","messages":[{"role":"user","content":"Weather in Paris?"}]}""".formatted(model);
            }
        }
        Dialect dialect = Dialect.of(path);
        Headers headers = dialect == Dialect.ANTHROPIC
                ? Headers.of("content-type", "application/json", "x-api-key", FuzzGateway.KEY, "anthropic-version", "2023-06-01")
                : Headers.of("content-type", "application/json", "authorization", "Bearer " + FuzzGateway.KEY);
        FuzzGateway.Answer answer;
        // Jazzer reports every network connection while fuzzing as SSRF; these are the gateway's calls
        // to the fake (Jazzer sees 127.0.0.1 by its reverse-resolved name).
        try (SilentCloseable upstreamCalls = BugDetectors.allowNetworkConnections(
                (host, port) -> (host.equals("localhost") || host.equals("127.0.0.1")) && port == UPSTREAM.port())) {
            answer = GATEWAY.send("POST", path, null, headers, body.getBytes(StandardCharsets.UTF_8));
        }
        boolean passedThrough = anthropicUpstream ? dialect == Dialect.ANTHROPIC : client == 0;
        ClientAnswers.assertReadable(dialect, answer, passedThrough);
    }
}
