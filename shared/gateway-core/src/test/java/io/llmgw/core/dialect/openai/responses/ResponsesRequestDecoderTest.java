package io.llmgw.core.dialect.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.error.GatewayException;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Block;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.Message;
import io.llmgw.core.model.ResponseFormat;
import io.llmgw.core.model.Role;
import io.llmgw.core.model.ToolChoice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The Responses request fields and items the golden cases do not go through one by one. */
class ResponsesRequestDecoderTest {
    private static ResponsesRequestDecoder.Decoded decode(String json) {
        try {
            return ResponsesRequestDecoder.decode((ObjectNode) Json.parse(json.getBytes(StandardCharsets.UTF_8)), "m");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String refusal(String json) {
        GatewayException e = (GatewayException) org.assertj.core.api.Assertions.catchThrowable(() -> decode(json));
        assertThat(e).isNotNull();
        assertThat(e.error().status()).isEqualTo(400);
        return e.error().param() + ": " + e.error().message();
    }

    @Test
    void sdkShapedItemsWithoutTypeAreMessages() {
        CanonicalRequest request = decode("""
                {"input":[{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"output_text","text":"hello"}]},
                          {"role":"system","content":"be brief"}]}""").request();

        assertThat(request.system()).containsExactly(new Block.Text("be brief"));
        assertThat(request.messages()).containsExactly(
                new Message(Role.USER, java.util.List.of(new Block.Text("hi"))),
                new Message(Role.ASSISTANT, java.util.List.of(new Block.Text("hello"))));
    }

    @Test
    void parallelCallsShareOneAssistantMessageAndTheirOutputsOneUserMessage() {
        CanonicalRequest request = decode("""
                {"input":[{"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"enc"},
                  {"type":"function_call","id":"fc_1","call_id":"c1","name":"a","arguments":"{}"},
                  {"type":"function_call","id":"fc_2","call_id":"c2","name":"b","arguments":"{}"},
                  {"type":"function_call_output","id":"fco_1","call_id":"c1","output":[{"type":"input_text","text":"one"}]},
                  {"type":"function_call_output","call_id":"c2","output":"two"},
                  {"type":"message","role":"user","content":[{"type":"input_text","text":"next"}]}]}""").request();

        assertThat(request.messages()).hasSize(3);
        assertThat(request.messages().get(0).content()).containsExactly(new Block.Thinking("", "enc"),
                new Block.ToolCall("c1", "a", "{}"), new Block.ToolCall("c2", "b", "{}"));
        assertThat(request.messages().get(1).content()).containsExactly(
                new Block.ToolResult("c1", java.util.List.of(new Block.Text("one")), false),
                new Block.ToolResult("c2", java.util.List.of(new Block.Text("two")), false));
        assertThat(request.messages().get(2).content()).containsExactly(new Block.Text("next"));
    }

    @Test
    void imagesAndFilesInline() {
        CanonicalRequest request = decode("""
                {"input":[{"role":"user","content":[
                  {"type":"input_image","image_url":"data:image/png;base64,AAAA","detail":"high"},
                  {"type":"input_image","image_url":"https://example.com/a.jpg"},
                  {"type":"input_file","filename":"a.pdf","file_data":"data:application/pdf;base64,JVBE"}]}]}""").request();

        assertThat(request.messages().get(0).content()).containsExactly(
                new Block.Image("image/png", "AAAA", null, "high"),
                new Block.Image(null, null, "https://example.com/a.jpg", null),
                new Block.Document("application/pdf", "JVBE", null, null, null, "a.pdf"));
    }

    @Test
    void strictIsCarriedOnlyWhenTheClientSetIt() {
        var tools = decode("""
                {"input":"x","tools":[{"type":"function","name":"a","parameters":{"type":"object"}},
                  {"type":"function","name":"b","strict":true,"parameters":{"type":"object"}}]}""").request().tools();

        assertThat(tools.get(0).strict()).isNull();
        assertThat(tools.get(1).strict()).isTrue();
    }

    @Test
    void toolChoicesAndFormats() {
        CanonicalRequest forced = decode("""
                {"input":"x","tools":[{"type":"custom","name":"apply_patch"}],"tool_choice":{"type":"custom","name":"apply_patch"},
                 "text":{"format":{"type":"json_object"}},"parallel_tool_calls":false}""").request();
        CanonicalRequest allowed = decode("""
                {"input":"x","tools":[{"type":"function","name":"a"},{"type":"function","name":"b"}],
                 "tool_choice":{"type":"allowed_tools","mode":"required","tools":[{"type":"function","name":"b"}]}}""").request();
        CanonicalRequest noTools = decode("""
                {"input":"x","tools":[{"type":"web_search"}],"tool_choice":"auto","parallel_tool_calls":true}""").request();

        assertThat(forced.toolChoice()).isEqualTo(ToolChoice.tool("apply_patch"));
        assertThat(forced.parallelToolCalls()).isFalse();
        assertThat(forced.responseFormat().type()).isEqualTo(ResponseFormat.Type.JSON_OBJECT);
        assertThat(allowed.tools()).extracting(t -> t.name()).containsExactly("b");
        assertThat(allowed.toolChoice()).isEqualTo(ToolChoice.ANY);
        assertThat(noTools.toolChoice()).isNull();
        assertThat(noTools.parallelToolCalls()).isNull();
    }

    @Test
    void whatNeedsServerStateOrStoredFilesIsRefusedNamingTheField() {
        assertThat(refusal("{\"input\":\"x\",\"conversation\":\"conv_1\"}")).startsWith("conversation: ");
        assertThat(refusal("{\"input\":\"x\",\"background\":true}")).startsWith("background: ");
        assertThat(refusal("{\"input\":[{\"type\":\"item_reference\",\"id\":\"msg_1\"}]}")).startsWith("input[0]: ");
        assertThat(refusal("{\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\",\"file_id\":\"file-1\"}]}]}"))
                .startsWith("input[0].content[0]: ").contains("file_id");
        assertThat(refusal("{\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\"}]}]}"))
                .startsWith("input[0].content[0].type: ");
        assertThat(refusal("{\"input\":\"x\",\"tools\":[{\"type\":\"web_search\"}],\"tool_choice\":\"required\"}"))
                .startsWith("tool_choice: ");
        assertThat(refusal("{}")).startsWith("input: ");
    }

    @Test
    void hostedToolRecordsInTheHistoryAreLeftOutAndReported() {
        var decoded = decode("""
                {"input":[{"type":"web_search_call","id":"ws_1","status":"completed"},{"type":"brand_new_item"},
                  {"role":"user","content":"hi"}]}""");

        assertThat(decoded.droppedItems()).containsExactly("web_search_call", "brand_new_item (unknown)");
        assertThat(decoded.request().messages()).hasSize(1);
    }
}
