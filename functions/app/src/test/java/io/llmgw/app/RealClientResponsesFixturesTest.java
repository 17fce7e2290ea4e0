package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.RealClientFixtures;
import io.llmgw.testing.RealClientFixtures.FixtureRequest;
import io.llmgw.testing.RecordedRequest;
import io.llmgw.testing.Reply;
import io.llmgw.testing.ResponsesStreams;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every captured Codex CLI and OpenAI-SDK Responses request, replayed as sent (key put back)
 * through the running app to chat-completions upstreams shaped like OpenAI and Azure, answered
 * in the form those clients need: sequence numbers contiguous from 0, a done for every added
 * item, a terminal event carrying every item in full, integer usage, {@code [DONE]} last; and
 * Codex's WebSocket attempt refused at once.
 */
class RealClientResponsesFixturesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The fixtures' prompts ask for a tool call like this: "use the tool exec_command args {...}". */
    private static final Pattern TOOL_REQUEST = Pattern.compile("use the tool (\\w+) args (\\{.*})");

    private static FakeUpstream upstream;
    private static final Map<String, TestGateway> gateways = new HashMap<>();

    @BeforeAll
    static void start() {
        upstream = FakeUpstream.start();
        upstream.handler(RealClientResponsesFixturesTest::answer);
        for (String type : List.of("openai", "azure-openai")) {
            gateways.put(type, TestGateway.start(TestGateway.singleUpstream(type, upstream.baseUrl())
                    .replace("models:\n", "models:\n  \"gpt-5*\":\n    deployments:\n      - { provider: up }\n")));
        }
    }

    @AfterAll
    static void stop() {
        gateways.values().forEach(TestGateway::close);
        upstream.close();
    }

    /** A tool call when the last user message asks for one, else reasoning and text, as the upstream would answer. */
    private static Reply answer(RecordedRequest request) {
        JsonNode messages = request.json().get("messages");
        JsonNode last = messages.get(messages.size() - 1);
        Matcher tool = TOOL_REQUEST.matcher(last.path("role").asText().equals("user") ? last.get("content").toString() : "");
        ChatScript script = tool.find()
                ? ChatScript.text("I'll use " + tool.group(1) + ".").toolCall("call_fx1", tool.group(1),
                        tool.group(2).replace("\\\"", "\""))
                : ChatScript.text("Hello! Done.").reasoning("The user wants a greeting.");
        script.usage(1200, 25).cachedTokens(1024);
        return (request.path().contains("/deployments/") ? script.azureQuirks() : script).reply(request);
    }

    static Stream<Arguments> fixtures() {
        return RealClientFixtures.names().stream()
                .filter(n -> n.startsWith("codex-cli-") || n.startsWith("openai-sdk-responses-"))
                .flatMap(n -> Stream.of(Arguments.of(n, "openai"), Arguments.of(n, "azure-openai")));
    }

    @ParameterizedTest(name = "{0} via {1}")
    @MethodSource("fixtures")
    void replay(String fixture, String providerType) throws Exception {
        TestGateway gateway = gateways.get(providerType);
        for (FixtureRequest request : RealClientFixtures.load(fixture)) {
            if ("websocket".equalsIgnoreCase(request.headers().get("upgrade"))) {
                assertWebSocketRefused(gateway, request);
                continue;
            }
            List<String> headers = new ArrayList<>();
            request.headersWithKey(TestGateway.GATEWAY_KEY).forEach((k, v) -> {
                headers.add(k);
                headers.add(v);
            });
            HttpResponse<String> response = gateway.send(request.method(), request.target(),
                    JSON.writeValueAsString(request.body()), headers.toArray(String[]::new));

            assertThat(response.statusCode()).as(fixture + ": " + response.body()).isEqualTo(200);
            JsonNode answer;
            if (request.body().path("stream").asBoolean()) {
                assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
                answer = ResponsesStreams.check(response.body());
            } else {
                answer = JSON.readTree(response.body());
                assertThat(answer.get("object").asText()).isEqualTo("response");
                ResponsesStreams.checkUsage(answer.get("usage"));
            }
            assertThat(answer.get("status").asText()).isEqualTo("completed");
            JsonNode lastItem = request.body().path("input").path(request.body().path("input").size() - 1);
            String lastType = lastItem.path("type").asText("message");
            List<String> types = new ArrayList<>();
            answer.get("output").forEach(item -> types.add(item.get("type").asText()));
            if (lastType.equals("message") && TOOL_REQUEST.matcher(lastItem.toString()).find()) {
                assertThat(types).as("the call the prompt asked for").containsExactly("message", "function_call");
            } else {
                assertThat(types).contains("message");
            }
        }
    }

    /** Sent on a raw socket: java.net.http will not send Connection or Upgrade headers. */
    private static void assertWebSocketRefused(TestGateway gateway, FixtureRequest request) throws IOException {
        StringBuilder head = new StringBuilder(request.method() + " " + request.target() + " HTTP/1.1\r\n");
        head.append("host: 127.0.0.1:").append(gateway.port()).append("\r\n");
        request.headers().forEach((name, value) -> {
            if (!name.equals("host")) {
                head.append(name).append(": ").append(name.equals("authorization") ? "Bearer " + TestGateway.GATEWAY_KEY : value)
                        .append("\r\n");
            }
        });
        long start = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            String response = readResponse(socket.getInputStream());
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertThat(response).startsWith("HTTP/1.1 426");
            assertThat(response.toLowerCase(java.util.Locale.ROOT)).contains("connection: close");
            assertThat(response).contains("\"code\":\"websocket_not_supported\"");
            assertThat(millis).as("refused at once").isLessThan(2000);
        }
    }

    /** Reads until the server closes the connection (it answers with connection: close). */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        for (int n; (n = in.read(buffer)) > 0; ) {
            bytes.write(buffer, 0, n);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
