package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.RealClientFixtures;
import io.llmgw.testing.RealClientFixtures.FixtureRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every captured OpenAI-SDK chat and models request, replayed byte for byte (key put back), is answered in a form that SDK accepts. */
class RealClientChatFixturesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FakeUpstream upstream;
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        upstream = FakeUpstream.start();
        upstream.handler(request -> request.json().has("tools") && request.json().get("messages").size() == 1
                ? ChatScript.empty().toolCall("call_w1", "get_weather", "{\"city\":\"Paris\"}").reply(request)
                : ChatScript.text("It is sunny in Paris.").reply(request));
        gateway = TestGateway.start(TestGateway.singleUpstream("azure-openai", upstream.baseUrl())
                .replace("models:\n", "models:\n  my-gpt-4o:\n    deployments:\n      - { provider: up, model: my-gpt-4o }\n"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    static Stream<String> fixtures() {
        return RealClientFixtures.names().stream()
                .filter(n -> n.startsWith("openai-sdk-chat") || n.equals("openai-sdk-models-list") || n.equals("azure-openai-sdk-chat-stream"));
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void replay(String fixture) throws Exception {
        for (FixtureRequest request : RealClientFixtures.load(fixture)) {
            List<String> headers = new ArrayList<>();
            request.headersWithKey(TestGateway.GATEWAY_KEY).forEach((k, v) -> {
                headers.add(k);
                headers.add(v);
            });
            HttpResponse<String> response = gateway.send(request.method(), request.target(),
                    request.body() == null ? null : JSON.writeValueAsString(request.body()), headers.toArray(String[]::new));

            assertThat(response.statusCode()).as(fixture + ": " + response.body()).isEqualTo(200);
            if (request.body() != null && request.body().path("stream").asBoolean()) {
                assertValidChatStream(response.body(), request.body().path("stream_options").path("include_usage").asBoolean());
            } else if (request.path().endsWith("/models")) {
                assertThat(JSON.readTree(response.body()).get("data")).isNotEmpty();
            } else {
                JsonNode completion = JSON.readTree(response.body());
                assertThat(completion.get("object").asText()).isEqualTo("chat.completion");
                assertThat(completion.get("choices")).hasSize(1);
            }
        }
    }

    private static void assertValidChatStream(String body, boolean usageExpected) throws Exception {
        List<String> data = body.lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
        boolean usageSeen = false;
        for (String payload : data.subList(0, data.size() - 1)) {
            JsonNode chunk = JSON.readTree(payload);
            assertThat(chunk.get("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(chunk.has("error")).isFalse();
            usageSeen |= chunk.hasNonNull("usage");
            if (chunk.get("choices").isEmpty()) {
                assertThat(chunk.hasNonNull("usage")).as("an empty-choices chunk must be the usage chunk").isTrue();
            }
        }
        assertThat(usageSeen).isEqualTo(usageExpected);
    }
}
