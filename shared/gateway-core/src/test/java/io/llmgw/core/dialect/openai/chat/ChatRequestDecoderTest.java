package io.llmgw.core.dialect.openai.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.error.GatewayException;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Block;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.Message;
import io.llmgw.core.model.Reasoning;
import io.llmgw.core.model.ResponseFormat;
import io.llmgw.core.model.Role;
import io.llmgw.core.model.ToolChoice;
import io.llmgw.core.model.ToolDefinition;
import io.llmgw.core.protocol.openai.OpenAiErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each mapping of a Chat Completions request onto the canonical model, and the input it refuses. */
class ChatRequestDecoderTest {
    private static final String HI = "{\"role\":\"user\",\"content\":\"hi\"}";

    private static CanonicalRequest decode(String json) {
        return ChatRequestDecoder.decode(parse(json), "gpt-4o");
    }

    /** A request body with these messages and extra top-level fields. */
    private static CanonicalRequest decode(String messages, String fields) {
        return decode("{\"model\":\"gpt-4o\",\"messages\":[" + messages + "]" + (fields.isEmpty() ? "" : "," + fields) + "}");
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) Json.parse(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The OpenAI-form error body the client would get for this request. */
    private static JsonNode refusal(String json) {
        Throwable thrown = catchThrowable(() -> decode(json));
        assertThat(thrown).isInstanceOf(GatewayException.class);
        GatewayException e = (GatewayException) thrown;
        assertThat(e.error().status()).isEqualTo(400);
        try {
            return Json.parse(OpenAiErrors.INSTANCE.body(e.error())).get("error");
        } catch (IOException io) {
            throw new IllegalStateException(io);
        }
    }

    private static Message user(Block... blocks) {
        return new Message(Role.USER, List.of(blocks));
    }

    private static Message assistant(Block... blocks) {
        return new Message(Role.ASSISTANT, List.of(blocks));
    }

    @Test
    void systemAndDeveloperMessagesAreHoistedInOrderFromAnywhere() {
        CanonicalRequest request = decode("""
                {"role":"system","content":"You are terse."},
                {"role":"developer","content":[{"type":"text","text":"Use metric units."},{"type":"text","text":" "}]},
                {"role":"user","content":"hi"},
                {"role":"assistant","content":"hello"},
                {"role":"system","content":"Now answer in French."},
                {"role":"user","content":"weather?"}""", "");

        assertThat(request.system()).containsExactly(new Block.Text("You are terse."), new Block.Text("Use metric units."),
                new Block.Text("Now answer in French."));
        assertThat(request.messages()).containsExactly(user(new Block.Text("hi")), assistant(new Block.Text("hello")),
                user(new Block.Text("weather?")));
        assertThat(request.model()).isEqualTo("gpt-4o");
    }

    @Test
    void userPartsBecomeTextImagesAndDocuments() {
        CanonicalRequest request = decode("""
                {"role":"user","content":[
                  {"type":"text","text":"Compare these."},
                  {"type":"text","text":""},
                  {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"high"}},
                  {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}},
                  {"type":"file","file":{"filename":"report.pdf","file_data":"data:application/pdf;base64,JVBERi0x"}}]}""", "");

        assertThat(request.messages()).containsExactly(user(
                new Block.Text("Compare these."),
                new Block.Image("image/png", "iVBORw0KGgo=", null, "high"),
                new Block.Image(null, null, "https://example.com/cat.jpg", null),
                new Block.Document("application/pdf", "JVBERi0x", null, null, null, "report.pdf")));
    }

    @Test
    void assistantTurnKeepsTextThenToolCallsWithArgumentsAsGivenAndGeminiSignatures() {
        CanonicalRequest request = decode(HI + """
                ,{"role":"assistant","content":"Checking.","tool_calls":[
                   {"id":"call_a","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\": \\"Paris\\"}"}},
                   {"id":"call_b","type":"function","function":{"name":"get_time","arguments":""},
                    "extra_content":{"google":{"thought_signature":"sig-b"}}}]},
                 {"role":"assistant","content":"","tool_calls":[{"id":"call_c","function":{"name":"noop","arguments":"{}"}}]},
                 {"role":"assistant","content":null,"refusal":"I can't help with that."}""", "");

        assertThat(request.messages()).containsExactly(
                user(new Block.Text("hi")),
                assistant(new Block.Text("Checking."), new Block.ToolCall("call_a", "get_weather", "{\"city\": \"Paris\"}"),
                        new Block.ToolCall("call_b", "get_time", "", false, "sig-b")),
                assistant(new Block.ToolCall("call_c", "noop", "{}")),
                assistant(new Block.Text("I can't help with that.")));
    }

    @Test
    void consecutiveToolMessagesBecomeOneUserTurnOfResultsFollowedByTheNextUserContent() {
        CanonicalRequest request = decode(HI + """
                ,{"role":"assistant","tool_calls":[{"id":"call_a","type":"function","function":{"name":"a","arguments":"{}"}},
                                                  {"id":"call_b","type":"function","function":{"name":"b","arguments":"{}"}}]},
                 {"role":"tool","tool_call_id":"call_a","content":"sunny"},
                 {"role":"tool","tool_call_id":"call_b","content":[{"type":"text","text":"12:00"}]},
                 {"role":"user","content":"And tomorrow?"}""", "");

        assertThat(request.messages()).hasSize(3);
        assertThat(request.messages().get(2)).isEqualTo(user(
                new Block.ToolResult("call_a", List.of(new Block.Text("sunny")), false),
                new Block.ToolResult("call_b", List.of(new Block.Text("12:00")), false),
                new Block.Text("And tomorrow?")));
    }

    @Test
    void toolResultsFollowedByTheAssistantAreTheirOwnUserTurn() {
        CanonicalRequest request = decode(HI + """
                ,{"role":"assistant","tool_calls":[{"id":"call_a","type":"function","function":{"name":"a","arguments":"{}"}}]},
                 {"role":"tool","tool_call_id":"call_a","content":""},
                 {"role":"assistant","content":"Done."}""", "");

        assertThat(request.messages()).extracting(Message::role).containsExactly(Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT);
        assertThat(request.messages().get(2)).isEqualTo(user(new Block.ToolResult("call_a", List.of(), false)));
    }

    @Test
    void emptyMessagesAreDroppedAndAHistoryStartingWithTheAssistantGetsAPlaceholderUserTurn() {
        CanonicalRequest request = decode("""
                {"role":"user","content":""},
                {"role":"assistant","content":"How can I help?"},
                {"role":"user","content":[]},
                {"role":"assistant","content":"   "},
                {"role":"user","content":"Tell me a joke."}""", "");

        assertThat(request.messages()).containsExactly(
                user(new Block.Text(ChatRequestDecoder.PLACEHOLDER_USER_TURN)),
                assistant(new Block.Text("How can I help?")),
                user(new Block.Text("Tell me a joke.")));
    }

    @Test
    void toolsAndToolChoice() {
        CanonicalRequest request = decode(HI, """
                "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather for a city",
                          "parameters":{"type":"object","properties":{"city":{"type":"string"}}},"strict":true}},
                         {"type":"function","function":{"name":"ping"}}],
                "tool_choice":{"type":"function","function":{"name":"get_weather"}},
                "parallel_tool_calls":false""");

        ToolDefinition weather = request.tools().get(0);
        assertThat(weather.name()).isEqualTo("get_weather");
        assertThat(weather.description()).isEqualTo("Weather for a city");
        assertThat(weather.inputSchema().at("/properties/city/type").asText()).isEqualTo("string");
        assertThat(weather.strict()).isTrue();
        assertThat(request.tools().get(1)).isEqualTo(new ToolDefinition("ping", null, null, null, false, null));
        assertThat(request.toolChoice()).isEqualTo(ToolChoice.tool("get_weather"));
        assertThat(request.parallelToolCalls()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"'\"auto\"', AUTO", "'\"required\"', ANY", "'\"none\"', NONE"})
    void toolChoiceModes(String choice, ToolChoice.Mode mode) {
        CanonicalRequest request = decode(HI, "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a\"}}],\"tool_choice\":" + choice);

        assertThat(request.toolChoice().mode()).isEqualTo(mode);
    }

    @Test
    void allowedToolsOffersOnlyTheAllowedOnes() {
        CanonicalRequest request = decode(HI, """
                "tools":[{"type":"function","function":{"name":"a"}},{"type":"function","function":{"name":"b"}}],
                "tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"required","tools":[{"type":"function","function":{"name":"b"}}]}}""");

        assertThat(request.tools()).extracting(ToolDefinition::name).containsExactly("b");
        assertThat(request.toolChoice()).isEqualTo(ToolChoice.ANY);
    }

    @Test
    void toolChoiceAndParallelCallsMeanNothingWithoutTools() {
        CanonicalRequest request = decode(HI, "\"tool_choice\":\"required\",\"parallel_tool_calls\":true");

        assertThat(request.toolChoice()).isNull();
        assertThat(request.parallelToolCalls()).isNull();
    }

    @Test
    void generationParameters() {
        CanonicalRequest request = decode(HI, """
                "max_completion_tokens":300,"max_tokens":100,"temperature":0.2,"top_p":0.9,"stop":["END","STOP"],
                "reasoning_effort":"high","user":"user-42","stream":true,"stream_options":{"include_usage":true},
                "n":1,"seed":7,"logprobs":true,"top_logprobs":2,"logit_bias":{"50256":-100},"frequency_penalty":0.5,
                "presence_penalty":0.1,"metadata":{"x":"y"},"store":false,"some_future_field":{"a":1}""");

        assertThat(request.maxOutputTokens()).isEqualTo(300);
        assertThat(request.temperature()).isEqualTo(0.2);
        assertThat(request.topP()).isEqualTo(0.9);
        assertThat(request.topK()).isNull();
        assertThat(request.stop()).containsExactly("END", "STOP");
        assertThat(request.reasoning()).isEqualTo(new Reasoning("high", null));
        assertThat(request.user()).isEqualTo("user-42");
        assertThat(request.stream()).isTrue();
    }

    @Test
    void olderMaxTokensAndAStopString() {
        CanonicalRequest request = decode(HI, "\"max_tokens\":100,\"stop\":\"END\",\"safety_identifier\":\"sid\",\"user\":\"u\"");

        assertThat(request.maxOutputTokens()).isEqualTo(100);
        assertThat(request.stop()).containsExactly("END");
        assertThat(request.user()).isEqualTo("sid");
        assertThat(request.stream()).isFalse();
        assertThat(request.reasoning()).isNull();
    }

    @Test
    void responseFormats() {
        CanonicalRequest schema = decode(HI, """
                "response_format":{"type":"json_schema","json_schema":{"name":"answer","strict":true,
                                   "schema":{"type":"object","properties":{"a":{"type":"string"}}}}}""");
        assertThat(schema.responseFormat().type()).isEqualTo(ResponseFormat.Type.JSON_SCHEMA);
        assertThat(schema.responseFormat().name()).isEqualTo("answer");
        assertThat(schema.responseFormat().strict()).isTrue();
        assertThat(schema.responseFormat().schema().at("/properties/a/type").asText()).isEqualTo("string");

        assertThat(decode(HI, "\"response_format\":{\"type\":\"json_object\"}").responseFormat())
                .isEqualTo(new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, null, null, null));
        assertThat(decode(HI, "\"response_format\":{\"type\":\"text\"}").responseFormat().type()).isEqualTo(ResponseFormat.Type.TEXT);
    }

    // ---- refusals: 400 in OpenAI's error form, naming the parameter ------------------------------------

    @Test
    void severalChoicesAreRefused() {
        JsonNode error = refusal("{\"model\":\"m\",\"n\":2,\"messages\":[" + HI + "]}");

        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("param").asText()).isEqualTo("n");
        assertThat(error.get("code").asText()).isEqualTo("unsupported_value");
        assertThat(error.get("message").asText()).contains("'n' must be 1");
    }

    @Test
    void audioInputIsRefused() {
        JsonNode error = refusal("""
                {"messages":[{"role":"user","content":[{"type":"text","text":"listen"},
                  {"type":"input_audio","input_audio":{"data":"UklGR","format":"wav"}}]}]}""");

        assertThat(error.get("param").asText()).isEqualTo("messages[0].content[1].type");
        assertThat(error.get("code").asText()).isEqualTo("unsupported_value");
        assertThat(error.get("message").asText()).contains("input_audio");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"messages":"hi"}                                                                     | messages
            {"messages":[]}                                                                       | messages
            {"messages":[{"role":"system","content":"only a system prompt"}]}                     | messages
            {"messages":[{"role":"robot","content":"beep"}]}                                      | messages[0].role
            {"messages":[{"role":"function","name":"f","content":"x"}]}                           | messages[0].role
            {"messages":["hi"]}                                                                   | messages[0]
            {"messages":[{"role":"user","content":42}]}                                           | messages[0].content
            {"messages":[{"role":"user","content":[{"type":"video","video":{}}]}]}                | messages[0].content[0].type
            {"messages":[{"role":"user","content":[{"type":"image_url","image_url":{}}]}]}        | messages[0].content[0].image_url.url
            {"messages":[{"role":"user","content":[{"type":"file","file":{"file_id":"file-1"}}]}]} | messages[0].content[0].file
            {"messages":[{"role":"system","content":[{"type":"image_url","image_url":{"url":"https://x/y.png"}}]}]} | messages[0].content
            {"messages":[{"role":"assistant","tool_calls":[{"type":"function","function":{"name":"a"}}]}]} | messages[0].tool_calls[0].id
            {"messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{}}]}]}  | messages[0].tool_calls[0].function.name
            {"messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"custom","custom":{"name":"a","input":"x"}}]}]} | messages[0].tool_calls[0].type
            {"messages":[{"role":"tool","content":"result"}]}                                     | messages[0].tool_call_id
            {"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"custom","custom":{"name":"x"}}]} | tools[0].type
            {"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{}}]}   | tools[0].function.name
            {"messages":[{"role":"user","content":"hi"}],"tool_choice":"sometimes"}                  | tool_choice
            {"messages":[{"role":"user","content":"hi"}],"max_completion_tokens":0}                  | max_completion_tokens
            {"messages":[{"role":"user","content":"hi"}],"max_tokens":"many"}                        | max_tokens
            {"messages":[{"role":"user","content":"hi"}],"temperature":"warm"}                       | temperature
            {"messages":[{"role":"user","content":"hi"}],"stop":[1,2]}                               | stop
            {"messages":[{"role":"user","content":"hi"}],"reasoning_effort":5}                       | reasoning_effort
            {"messages":[{"role":"user","content":"hi"}],"response_format":{"type":"xml"}}           | response_format.type
            {"messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema"}}   | response_format.json_schema
            """)
    void badInputIsA400NamingTheParameter(String body, String param) {
        JsonNode error = refusal(body);

        assertThat(error.get("param").asText()).isEqualTo(param);
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.get("code").asText()).isIn("invalid_value", "missing_required_parameter", "unsupported_value");
    }
}
