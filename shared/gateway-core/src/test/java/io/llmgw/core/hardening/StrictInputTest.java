package io.llmgw.core.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.testing.AnthropicScript;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import java.io.IOException;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Findings 7 and 8 of the hardening issue at the core: duplicate JSON keys, wrongly typed fields
 * and malformed percent-encoding are the client's 400 in its own dialect, and nothing reaches an
 * upstream; Azure deployment names travel path-encoded. Before the fixes a duplicate {@code model}
 * was routed by its last value and spliced into its first, {@code "stream": "yes please"} was
 * answered 200, and a space in a deployment name went upstream as {@code +}.
 */
class StrictInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAT = "/v1/chat/completions";
    private static final String RESPONSES = "/v1/responses";
    private static final String MESSAGES = "/v1/messages";

    private static FakeUpstream chat;
    private static FakeUpstream anthropic;
    private static FakeUpstream azure;
    private static CoreGateway core;

    @BeforeAll
    static void start() {
        chat = FakeUpstream.start().handler(ChatScript.text("chat answer").handler());
        anthropic = FakeUpstream.start().handler(AnthropicScript.text("anthropic answer").handler());
        azure = FakeUpstream.start().handler(ChatScript.text("azure answer").handler());
        core = new CoreGateway("""
                auth: { mode: gateway, keys: ["${KEY}"] }
                providers:
                  chat: { type: openai, base_url: "%s/v1", api_key: "${UP_KEY}" }
                  anth: { type: anthropic, base_url: "%s", api_key: "${UP_KEY}" }
                  az: { type: azure-openai, base_url: "%s", api_key: "${UP_KEY}", api_version: "2024-10-21" }
                models:
                  "claude-*": { deployments: [ { provider: anth } ] }
                  spaced: { deployments: [ { provider: az, model: "my gpt deployment" } ] }
                  "*": { deployments: [ { provider: chat } ] }
                """.formatted(chat.baseUrl(), anthropic.baseUrl(), azure.baseUrl())).closing(chat, anthropic, azure);
    }

    @AfterAll
    static void stop() {
        core.close();
    }

    @BeforeEach
    void forget() {
        chat.clear();
        anthropic.clear();
        azure.clear();
    }

    private static void assertNothingReachedAnUpstream() {
        assertThat(chat.requests()).as("chat upstream").isEmpty();
        assertThat(anthropic.requests()).as("anthropic upstream").isEmpty();
        assertThat(azure.requests()).as("azure upstream").isEmpty();
    }

    /** A 400 in the dialect of {@code path}: OpenAI's error object (with {@code param} when given) or Anthropic's envelope. */
    private static JsonNode assertBadRequest(String path, BufferingSink sink, String field) throws IOException {
        assertThat(sink.status()).as(path + " " + field + ": " + sink.bodyText()).isEqualTo(400);
        JsonNode body = JSON.readTree(sink.body());
        if (path.startsWith(MESSAGES)) {
            assertThat(body.path("type").asText()).isEqualTo("error");
            assertThat(body.path("error").path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(body.path("error").path("message").asText()).contains(field);
        } else {
            assertThat(body.path("error").path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(body.path("error").path("message").asText()).contains(field);
        }
        return body;
    }

    @Test
    void duplicateKeysAreA400InEveryDialectAndNothingIsSentUpstream() throws Exception {
        Map<String, String> bodies = Map.of(
                CHAT, "{\"model\":\"gpt-4o\",\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                RESPONSES, "{\"model\":\"gpt-4o\",\"input\":\"hi\",\"input\":\"other\"}",
                // the case: routing read the last model, the passthrough spliced the mapped one into the first
                MESSAGES, "{\"model\":\"anything\",\"model\":\"claude-opus-4-6\",\"max_tokens\":5,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        for (var entry : bodies.entrySet()) {
            assertBadRequest(entry.getKey(), core.post(entry.getKey(), entry.getValue()), "");
        }
        // nested objects too
        assertBadRequest(MESSAGES, core.post(MESSAGES, "{\"model\":\"claude-opus-4-6\",\"max_tokens\":5,"
                + "\"messages\":[{\"role\":\"user\",\"role\":\"assistant\",\"content\":\"hi\"}]}"), "");
        assertNothingReachedAnUpstream();
    }

    /** Bodies with one wrongly typed field, and the field the 400 must name. */
    static Stream<Arguments> wronglyTypedFields() {
        String chatBase = "\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        String responsesBase = "\"model\":\"gpt-4o\",\"input\":\"hi\"";
        String messagesBase = "\"model\":\"claude-opus-4-6\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        return Stream.of(
                // the case: a stream flag that is not a boolean was answered 200
                arguments(CHAT, "{\"model\":\"gpt-4o\",\"stream\":\"yes please\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "stream"),
                arguments(RESPONSES, "{\"model\":\"gpt-4o\",\"stream\":\"yes please\",\"input\":\"hi\"}", "stream"),
                arguments(MESSAGES, "{\"model\":\"claude-opus-4-6\",\"stream\":\"yes please\",\"max_tokens\":5,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "stream"),
                arguments(CHAT, "{" + chatBase + ",\"max_tokens\":\"10\"}", "max_tokens"),
                arguments(CHAT, "{\"model\":\"gpt-4o\",\"messages\":{}}", "messages"),
                arguments(CHAT, "{" + chatBase + ",\"temperature\":\"hot\"}", "temperature"),
                arguments(CHAT, "{" + chatBase + ",\"tools\":\"x\"}", "tools"),
                arguments(CHAT, "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":5}]}", "messages[0].content"),
                // two wrong fields: the error names the one declared first, wherever the body puts it
                arguments(CHAT, "{\"temperature\":\"hot\"," + chatBase + ",\"max_tokens\":\"10\"}", "max_tokens"),
                arguments(CHAT, "{\"tools\":\"x\",\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":5}]}",
                        "messages[0].content"),
                arguments(RESPONSES, "{" + responsesBase + ",\"max_output_tokens\":\"10\"}", "max_output_tokens"),
                arguments(RESPONSES, "{\"model\":\"gpt-4o\",\"input\":5}", "input"),
                arguments(RESPONSES, "{" + responsesBase + ",\"temperature\":\"hot\"}", "temperature"),
                arguments(RESPONSES, "{" + responsesBase + ",\"tools\":\"x\"}", "tools"),
                arguments(MESSAGES, "{\"model\":\"claude-opus-4-6\",\"max_tokens\":\"10\",\"messages\":[]}", "max_tokens"),
                arguments(MESSAGES, "{\"model\":\"claude-opus-4-6\",\"max_tokens\":5,\"messages\":{}}", "messages"),
                arguments(MESSAGES, "{" + messagesBase + ",\"temperature\":\"hot\"}", "temperature"),
                arguments(MESSAGES, "{" + messagesBase + ",\"tools\":\"x\"}", "tools"),
                arguments(MESSAGES, "{" + messagesBase + ",\"system\":5}", "system"));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("wronglyTypedFields")
    void wronglyTypedFieldsAreA400NamingTheField(String path, String body, String param) throws Exception {
        JsonNode error = assertBadRequest(path, core.post(path, body), "'" + param + "'");
        if (!path.equals(MESSAGES)) {
            assertThat(error.path("error").path("param").asText()).as(body).isEqualTo(param);
        }
        assertNothingReachedAnUpstream();
    }

    @Test
    void anthropicBlocksWhoseFieldsTakeOtherShapesAreNotRefused() {
        // A search_result block names its source as a string; a server tool's result may be an error object.
        String body = """
                {"model":"claude-opus-4-6","max_tokens":5,"messages":[
                  {"role":"user","content":[
                    {"type":"search_result","source":"https://example.com/a","title":"A","content":[{"type":"text","text":"x"}],
                     "citations":{"enabled":true}},
                    {"type":"text","text":"summarise"}]},
                  {"role":"assistant","content":[
                    {"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"q"}},
                    {"type":"web_search_tool_result","tool_use_id":"srvtoolu_1",
                     "content":{"type":"web_search_tool_result_error","error_code":"max_uses_exceeded"}},
                    {"type":"text","text":"no results"}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[
                    {"type":"search_result","source":"https://example.com/b","title":"B","content":[{"type":"text","text":"y"}]}]}]}
                ]}""";
        BufferingSink sink = core.post(MESSAGES, body);
        assertThat(sink.status()).as(sink.bodyText()).isEqualTo(200);
        assertThat(anthropic.requests()).hasSize(1);
    }

    @Test
    void anAzureDeploymentNameIsPathEncoded() {
        BufferingSink sink = core.post(CHAT, "{\"model\":\"spaced\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(sink.status()).as(sink.bodyText()).isEqualTo(200);
        assertThat(azure.lastRequest().path()).isEqualTo("/openai/deployments/my%20gpt%20deployment/chat/completions");
    }

    @Test
    void malformedPercentEncodingInTheQueryIsA400() throws Exception {
        BufferingSink sink = core.send("POST", CHAT + "?api-version=%zz", "{\"model\":\"gpt-4o\",\"messages\":[]}",
                "content-type", "application/json", "authorization", "Bearer " + CoreGateway.KEY);
        assertThat(sink.status()).isEqualTo(400);
        assertThat(JSON.readTree(sink.body()).path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertNothingReachedAnUpstream();
    }
}
