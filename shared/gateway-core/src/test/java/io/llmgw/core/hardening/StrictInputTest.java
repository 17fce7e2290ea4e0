package io.llmgw.core.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.testing.AnthropicScript;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
                """.formatted(chat.baseUrl(), anthropic.baseUrl(), azure.baseUrl()));
    }

    @AfterAll
    static void stop() {
        core.close();
        chat.close();
        anthropic.close();
        azure.close();
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

    @Test
    void aStreamFlagThatIsNotABooleanIsA400NamingStream() throws Exception {
        Map<String, String> bodies = Map.of(
                CHAT, "{\"model\":\"gpt-4o\",\"stream\":\"yes please\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                RESPONSES, "{\"model\":\"gpt-4o\",\"stream\":\"yes please\",\"input\":\"hi\"}",
                MESSAGES, "{\"model\":\"claude-opus-4-6\",\"stream\":\"yes please\",\"max_tokens\":5,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        for (var entry : bodies.entrySet()) {
            JsonNode error = assertBadRequest(entry.getKey(), core.post(entry.getKey(), entry.getValue()), "'stream'");
            if (!entry.getKey().equals(MESSAGES)) {
                assertThat(error.path("error").path("param").asText()).isEqualTo("stream");
            }
        }
        assertNothingReachedAnUpstream();
    }

    @Test
    void wronglyTypedFieldsAreA400NamingTheField() throws Exception {
        String chatBase = "\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        String responsesBase = "\"model\":\"gpt-4o\",\"input\":\"hi\"";
        String messagesBase = "\"model\":\"claude-opus-4-6\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        record Case(String path, String body, String param) {}
        List<Case> cases = List.of(
                new Case(CHAT, "{" + chatBase + ",\"max_tokens\":\"10\"}", "max_tokens"),
                new Case(CHAT, "{\"model\":\"gpt-4o\",\"messages\":{}}", "messages"),
                new Case(CHAT, "{" + chatBase + ",\"temperature\":\"hot\"}", "temperature"),
                new Case(CHAT, "{" + chatBase + ",\"tools\":\"x\"}", "tools"),
                new Case(CHAT, "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":5}]}", "messages[0].content"),
                new Case(RESPONSES, "{" + responsesBase + ",\"max_output_tokens\":\"10\"}", "max_output_tokens"),
                new Case(RESPONSES, "{\"model\":\"gpt-4o\",\"input\":5}", "input"),
                new Case(RESPONSES, "{" + responsesBase + ",\"temperature\":\"hot\"}", "temperature"),
                new Case(RESPONSES, "{" + responsesBase + ",\"tools\":\"x\"}", "tools"),
                new Case(MESSAGES, "{\"model\":\"claude-opus-4-6\",\"max_tokens\":\"10\",\"messages\":[]}", "max_tokens"),
                new Case(MESSAGES, "{\"model\":\"claude-opus-4-6\",\"max_tokens\":5,\"messages\":{}}", "messages"),
                new Case(MESSAGES, "{" + messagesBase + ",\"temperature\":\"hot\"}", "temperature"),
                new Case(MESSAGES, "{" + messagesBase + ",\"tools\":\"x\"}", "tools"),
                new Case(MESSAGES, "{" + messagesBase + ",\"system\":5}", "system"));
        for (Case c : cases) {
            JsonNode error = assertBadRequest(c.path(), core.post(c.path(), c.body()), "'" + c.param() + "'");
            if (!c.path().equals(MESSAGES)) {
                assertThat(error.path("error").path("param").asText()).as(c.body()).isEqualTo(c.param());
            }
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
