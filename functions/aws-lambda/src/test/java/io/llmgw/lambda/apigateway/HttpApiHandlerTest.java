package io.llmgw.lambda.apigateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.core.config.ConfigException;
import io.llmgw.lambda.runtime.Invocation;
import io.llmgw.lambda.runtime.LambdaContext;
import io.llmgw.lambda.testing.Events;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.Reply;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The buffered API Gateway handler (functions/app in aws-serverless-java-container) answering the events/ samples. */
class HttpApiHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FakeUpstream upstream;
    private static HttpApiHandler handler;

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeUpstream.start();
        Map<String, String> env = Map.of(
                "OPENAI_API_KEY", "sk-upstream-test-key-00000000000000",
                "OPENAI_BASE_URL", upstream.baseUrl() + "/v1",
                "PROXY_API_KEY", Events.KEY);
        handler = new HttpApiHandler(env::get, e -> {
            throw new AssertionError("no secret configured");
        });
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    private static JsonNode invoke(String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Context context = new LambdaContext(new Invocation("api-req-" + event.hashCode(), System.currentTimeMillis() + 30_000,
                "arn:aws:lambda:us-east-1:123456789012:function:gateway-http-api", null, null, null, null, new byte[0]), name -> null);
        handler.handleRequest(new ByteArrayInputStream(Events.bytes(event)), out, context);
        return JSON.readTree(out.toByteArray());
    }

    private static String body(JsonNode response) {
        String body = response.path("body").asText();
        return response.path("isBase64Encoded").asBoolean()
                ? new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8) : body;
    }

    private static String header(JsonNode response, String name) {
        for (var it = response.path("headers").properties().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue().asText();
            }
        }
        JsonNode multi = response.path("multiValueHeaders");
        for (var it = multi.properties().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue().path(0).asText();
            }
        }
        return null;
    }

    @Test
    void noUpstreamFailsTheHandlersInitWithTheFirstRunMessage() {
        Map<String, String> env = Map.of("PROXY_API_KEY", Events.KEY);

        assertThatThrownBy(() -> new HttpApiHandler(env::get, e -> {
            throw new AssertionError("no secret configured");
        })).isInstanceOf(ConfigException.class).hasMessageStartingWith("providers: none configured").hasMessageContaining("GATEWAY_MOCK=1");
    }

    @Test
    void httpApiChatCompletionWithABase64Body() throws Exception {
        upstream.enqueue(ChatScript.text("Hello from API Gateway.").handler());
        JsonNode response = invoke("apigateway-http-api-chat-completions.json");
        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        assertThat(header(response, "content-type")).startsWith("application/json");
        assertThat(JSON.readTree(body(response)).path("choices").path(0).path("message").path("content").asText())
                .isEqualTo("Hello from API Gateway.");
        assertThat(header(response, "x-request-id")).isNotBlank();
        assertThat(upstream.lastRequest().header("authorization")).isEqualTo("Bearer sk-upstream-test-key-00000000000000");
    }

    @Test
    void aStreamArrivesAsOneCompleteSseBody() throws Exception {
        // naming the model the event asks for, so the body is the upstream's own bytes
        List<String> events = ChatScript.text("Streams are buffered here.").model("gpt-4o").chunkSize(5).chunks(true);
        upstream.enqueue(Reply.sse(events));
        JsonNode response = invoke("function-url-chat-completions-stream.json");
        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        assertThat(header(response, "content-type")).startsWith("text/event-stream");
        assertThat(body(response)).isEqualTo(String.join("", Reply.sse(events).frames()));
    }

    @Test
    void modelsHealthMessagesAndResponses() throws Exception {
        assertThat(invoke("function-url-models.json").path("statusCode").asInt()).isEqualTo(200);
        JsonNode health = invoke("function-url-health.json");
        assertThat(health.path("statusCode").asInt()).isEqualTo(200);
        assertThat(body(health)).contains("ok");
        // The buffered handler answers streams too, as one complete SSE body.
        upstream.handler(ChatScript.text("Hello from the model.").handler());
        JsonNode message = invoke("function-url-messages.json");
        assertThat(message.path("statusCode").asInt()).isEqualTo(200);
        assertThat(JSON.readTree(body(message)).path("type").asText()).isEqualTo("message");
        JsonNode streamed = invoke("function-url-messages-stream.json");
        assertThat(streamed.path("statusCode").asInt()).isEqualTo(200);
        assertThat(body(streamed)).startsWith("event: message_start\n").contains("event: message_stop\n");
        JsonNode responses = invoke("function-url-responses.json");
        assertThat(responses.path("statusCode").asInt()).isEqualTo(200);
        assertThat(body(responses)).contains("response.completed");
    }

    @Test
    void aWrongKeyIsA401InTheClientsFormat() throws Exception {
        String event = Events.text("function-url-models.json").replace(Events.KEY, "not-the-gateway-key-0000000000000000000");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                new LambdaContext(new Invocation("api-req-401", 0, null, null, null, null, null, new byte[0]), name -> null));
        JsonNode response = JSON.readTree(out.toByteArray());
        assertThat(response.path("statusCode").asInt()).isEqualTo(401);
        assertThat(JSON.readTree(body(response)).path("error").path("message").asText()).isNotBlank();
    }
}
