package io.llmgw.core.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.Gateway;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.http.Headers;
import io.llmgw.core.json.Json;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.testing.AnthropicScript;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.GoldenCases;
import io.llmgw.testing.RecordedRequest;
import io.llmgw.testing.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every answer names the model the client asked for, on every path — each client dialect in front
 * of each kind of upstream, passed through or translated, streamed and not — although each route
 * sends another model upstream and every upstream names yet another (a dated version) in its
 * answer; the model the gateway asked for is in {@code x-gateway-upstream-model}.
 */
class RequestedModelEverywhereTest {
    private static final String KEY = "requested-model-key-0123456789abcdef0123";
    private static final String REPORTED = "upstream-model-2026-01-01";
    private static FakeUpstream upstream;
    private static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeUpstream.start();
        upstream.handler(RequestedModelEverywhereTest::answer);
        Path file = Files.createTempFile("requested-model", ".yaml");
        Files.writeString(file, """
                auth: { mode: gateway, keys: ["%s"] }
                providers:
                  chat: { type: openai, base_url: "%s/chat/v1", api_key: sk-up-0123456789 }
                  native: { type: openai, base_url: "%s/native/v1", api_key: sk-up-0123456789, responses: native }
                  claude: { type: anthropic, base_url: "%s/claude", api_key: sk-up-0123456789 }
                models:
                  alias-chat: { deployments: [ { provider: chat, model: real-chat } ] }
                  alias-native: { deployments: [ { provider: native, model: real-native } ] }
                  alias-claude: { deployments: [ { provider: claude, model: real-claude } ] }
                  "pass-*": { deployments: [ { provider: chat } ] }
                """.formatted(KEY, upstream.baseUrl(), upstream.baseUrl(), upstream.baseUrl()));
        GatewayConfig config = ConfigLoader.load(Map.of("GATEWAY_CONFIG", file.toString()));
        Files.delete(file);
        gateway = new Gateway(config);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    private static Reply answer(RecordedRequest request) {
        if (request.path().endsWith("/chat/completions")) {
            return ChatScript.text("Hello there.").model(REPORTED).reply(request);
        }
        if (request.path().endsWith("/v1/messages")) {
            return AnthropicScript.text("Hello there.").model(REPORTED).reply(request);
        }
        String response = "{\"id\":\"resp_up\",\"object\":\"response\",\"created_at\":1760000000,\"status\":\"%s\",\"model\":\"" + REPORTED
                + "\",\"output\":[%s],\"usage\":%s}";
        String item = "{\"type\":\"message\",\"id\":\"msg_up\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":"
                + "[{\"type\":\"output_text\",\"text\":\"Hello there.\",\"annotations\":[]}]}";
        String usage = "{\"input_tokens\":5,\"output_tokens\":3,\"total_tokens\":8}";
        if (!request.wantsStream()) {
            return Reply.json(200, response.formatted("completed", item, usage));
        }
        return Reply.rawSse(List.of(
                "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":"
                        + response.formatted("in_progress", "", "null") + "}\n\n",
                "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":1,"
                        + "\"item_id\":\"msg_up\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hello there.\"}\n\n",
                "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":2,\"response\":"
                        + response.formatted("completed", item, usage) + "}\n\n"));
    }

    static Stream<Arguments> paths() {
        List<Arguments> paths = new ArrayList<>();
        for (boolean stream : new boolean[] {false, true}) {
            paths.add(Arguments.of("chat", "alias-chat", "real-chat", stream));        // passed through
            paths.add(Arguments.of("chat", "alias-claude", "real-claude", stream));    // translated
            paths.add(Arguments.of("responses", "alias-native", "real-native", stream));  // passed through
            paths.add(Arguments.of("responses", "alias-chat", "real-chat", stream));    // translated
            paths.add(Arguments.of("responses", "alias-claude", "real-claude", stream));  // translated
            paths.add(Arguments.of("anthropic", "alias-claude", "real-claude", stream));  // passed through
            paths.add(Arguments.of("anthropic", "alias-chat", "real-chat", stream));    // translated
        }
        return paths.stream();
    }

    @ParameterizedTest(name = "{0} client, {1}, stream={3}")
    @MethodSource("paths")
    void theAnswerNamesTheRequestedModel(String dialect, String requested, String sent, boolean stream) throws Exception {
        String path = switch (dialect) {
            case "chat" -> "/v1/chat/completions";
            case "responses" -> "/v1/responses";
            default -> "/v1/messages";
        };
        String body = switch (dialect) {
            case "chat" -> "{\"model\":\"%s\",\"stream\":%s,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            case "responses" -> "{\"model\":\"%s\",\"stream\":%s,\"input\":\"hi\"}";
            default -> "{\"model\":\"%s\",\"stream\":%s,\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        };
        BufferingSink sink = new BufferingSink();
        gateway.handle(new GatewayRequest("POST", path, null, Headers.of("content-type", "application/json", "authorization",
                "Bearer " + KEY, "anthropic-version", "2023-06-01"), body.formatted(requested, stream).getBytes(StandardCharsets.UTF_8),
                "127.0.0.1", null), sink);

        assertThat(sink.status()).as(sink.bodyText()).isEqualTo(200);
        assertThat(upstream.lastRequest().json().get("model").asText()).isEqualTo(sent);
        assertThat(sink.headers().first("x-gateway-upstream-model")).isEqualTo(sent);
        List<String> models = new ArrayList<>();
        for (JsonNode document : documents(sink.bodyText(), stream)) {
            document.findValues("model").forEach(m -> models.add(m.asText()));
        }
        assertThat(models).as("every model the client sees").isNotEmpty().containsOnly(requested);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pass-through", "pass-with space", "pass-caf\u00e9", "pass-\u0001"})
    void theUpstreamModelIsNamedOnlyWhenAHeaderCanCarryIt(String requested) throws Exception {
        BufferingSink sink = new BufferingSink();
        String body = "{\"model\":" + Json.MAPPER.writeValueAsString(requested) + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        gateway.handle(new GatewayRequest("POST", "/v1/chat/completions", null, Headers.of("content-type", "application/json",
                "authorization", "Bearer " + KEY), body.getBytes(StandardCharsets.UTF_8), "127.0.0.1", null), sink);

        assertThat(sink.status()).as(sink.bodyText()).isEqualTo(200);
        assertThat(upstream.lastRequest().json().get("model").asText()).isEqualTo(requested);
        assertThat(sink.headers().first("x-gateway-upstream-model"))
                .isEqualTo(requested.equals("pass-through") ? requested : null);
    }

    private static List<JsonNode> documents(String body, boolean stream) throws Exception {
        if (!stream) {
            return List.of(Json.parse(body.getBytes(StandardCharsets.UTF_8)));
        }
        List<JsonNode> events = new ArrayList<>();
        for (String frame : GoldenCases.frames(body)) {
            for (String line : frame.split("\n")) {
                if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
                    events.add(Json.parse(line.substring(6).getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        return events;
    }
}
