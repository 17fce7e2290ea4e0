package io.llmgw.core.protocol.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.error.GatewayException;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Block;
import io.llmgw.core.model.StopReason;
import io.llmgw.core.model.Usage;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicBlocksTest {
    private static JsonNode json(String text) throws Exception {
        return Json.parse(text.getBytes());
    }

    @Test
    void everyBlockTypeSurvivesARoundTrip() throws Exception {
        String content = """
                [{"type":"text","text":"hi","cache_control":{"type":"ephemeral"}},
                 {"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}},
                 {"type":"image","source":{"type":"url","url":"https://x/y.png"}},
                 {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBE"},"title":"r.pdf"},
                 {"type":"document","source":{"type":"text","media_type":"text/plain","data":"plain"}},
                 {"type":"tool_use","id":"toolu_1","name":"f","input":{"a":[1,2]}},
                 {"type":"tool_result","tool_use_id":"toolu_1","is_error":true,"content":[{"type":"text","text":"bad"}]},
                 {"type":"thinking","thinking":"hmm","signature":"sig"},
                 {"type":"redacted_thinking","data":"enc"}]""";
        List<Block> blocks = AnthropicBlocks.readContent(json(content), "messages.0.content");

        assertThat(blocks).hasSize(9);
        assertThat(blocks.get(5)).isEqualTo(new Block.ToolCall("toolu_1", "f", "{\"a\":[1,2]}"));
        assertThat(blocks.get(6)).isEqualTo(new Block.ToolResult("toolu_1", List.of(new Block.Text("bad")), true));
        StringBuilder written = new StringBuilder("[");
        blocks.forEach(b -> written.append(written.length() > 1 ? "," : "").append(Json.string(AnthropicBlocks.write(b))));
        List<Block> again = AnthropicBlocks.readContent(json(written.append("]").toString()), "x");
        assertThat(again).isEqualTo(blocks);
    }

    @Test
    void toolIdsAreSanitisedOnTheWayInAndOut() throws Exception {
        List<Block> blocks = AnthropicBlocks.readContent(json("""
                [{"type":"tool_use","id":"functions.Bash:0","name":"Bash","input":{}},
                 {"type":"tool_result","tool_use_id":"functions.Bash:0","content":"ok"}]"""), "c");
        assertThat(((Block.ToolCall) blocks.get(0)).id()).isEqualTo("functions_Bash_0");
        assertThat(((Block.ToolResult) blocks.get(1)).toolCallId()).isEqualTo("functions_Bash_0");
        assertThat(AnthropicBlocks.write(new Block.ToolCall("mcp:srv/1", "f", "")).get("id").asText()).isEqualTo("mcp_srv_1");
        assertThat(ToolIds.sanitize("call_ok-1")).isEqualTo("call_ok-1");
        assertThat(ToolIds.sanitize(null)).matches("toolu_[A-Za-z0-9]{24}");
    }

    @Test
    void truncatedArgumentsBecomeAnEmptyInput() {
        assertThat(AnthropicBlocks.input("{\"a\":").toString()).isEqualTo("{}");
        assertThat(AnthropicBlocks.input("[1]").toString()).isEqualTo("{}");
        assertThat(AnthropicBlocks.input("").toString()).isEqualTo("{}");
    }

    @Test
    void serverBlocksAreSkippedAndBadBlocksNamed() throws Exception {
        assertThat(AnthropicBlocks.read(json("{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\"}"), "c")).isEmpty();
        assertThatThrownBy(() -> AnthropicBlocks.read(json("{\"type\":\"text\"}"), "messages.2.content.1"))
                .isInstanceOf(GatewayException.class).hasMessage("messages.2.content.1.text: Field required");
    }

    @Test
    void gatewaySignaturesNameTheirOrigin() {
        String minted = GatewaySignatures.mint("openai", "enc-123");
        assertThat(minted).startsWith("gw1.").matches("gw1\\.[A-Za-z0-9_-]+");
        assertThat(GatewaySignatures.decode(minted)).isEqualTo(new GatewaySignatures.Origin("openai", "enc-123"));
        assertThat(GatewaySignatures.decode("EqQBCkYIBxgCKkA")).isNull();
        assertThat(GatewaySignatures.decode("gw1.%%%")).isNull();
    }

    @Test
    void usageSplitsCacheOutOfInputAndBack() {
        Usage canonical = new Usage(2460, 21, 2048, 100, null);
        JsonNode written = AnthropicUsage.write(canonical);
        assertThat(written.toString()).isEqualTo(
                "{\"input_tokens\":312,\"output_tokens\":21,\"cache_creation_input_tokens\":100,\"cache_read_input_tokens\":2048}");
        assertThat(AnthropicUsage.read(written)).isEqualTo(new Usage(2460, 21, 2048, 100, null));
    }

    @Test
    void stopReasonsMapBothWays() {
        for (StopReason reason : StopReason.values()) {
            assertThat(AnthropicStopReasons.parse(AnthropicStopReasons.name(reason))).isEqualTo(reason);
        }
        assertThat(AnthropicStopReasons.afterToolCalls(StopReason.END_TURN, true)).isEqualTo(StopReason.TOOL_USE);
        assertThat(AnthropicStopReasons.afterToolCalls(StopReason.MAX_TOKENS, true)).isEqualTo(StopReason.MAX_TOKENS);
        assertThat(AnthropicStopReasons.afterToolCalls(null, false)).isEqualTo(StopReason.END_TURN);
    }
}
