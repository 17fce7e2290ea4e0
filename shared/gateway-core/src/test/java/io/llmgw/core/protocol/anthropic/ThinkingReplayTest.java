package io.llmgw.core.protocol.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.json.Json;
import io.llmgw.core.model.Block;
import org.junit.jupiter.api.Test;

class ThinkingReplayTest {
    @Test
    void anthropicsOwnSignaturesGoBackAsTheyAre() {
        Block thinking = new Block.Thinking("t", "EqQBsig");
        assertThat(ThinkingReplay.forAnthropic(thinking)).isEqualTo(thinking);
        assertThat(ThinkingReplay.forAnthropic(new Block.RedactedThinking("EmwK"))).isEqualTo(new Block.RedactedThinking("EmwK"));
        assertThat(ThinkingReplay.forAnthropic(new Block.Text("x"))).isEqualTo(new Block.Text("x"));
    }

    @Test
    void whatAnthropicDidNotSignIsLeftOut() {
        assertThat(ThinkingReplay.forAnthropic(new Block.Thinking("t", null))).isNull();
        assertThat(ThinkingReplay.forAnthropic(new Block.Thinking("t", ""))).isNull();
        assertThat(ThinkingReplay.forAnthropic(new Block.Thinking("t", GatewaySignatures.mint("openai", "rs_1")))).isNull();
        assertThat(ThinkingReplay.forAnthropic(new Block.Thinking("t", "gAAAAABopaque=="))).as("OpenAI's encrypted reasoning").isNull();
        assertThat(ThinkingReplay.forAnthropic(new Block.Thinking("t", "gw1.damaged"))).isNull();
        assertThat(ThinkingReplay.forAnthropic(new Block.RedactedThinking(GatewaySignatures.mint("openai", null)))).isNull();
    }

    @Test
    void gatewayTokensCarryingAnthropicsMaterialAreUnwrapped() {
        assertThat(ThinkingReplay.forAnthropic(new Block.Thinking("t", GatewaySignatures.mint("anthropic", "EqQBsig"))))
                .isEqualTo(new Block.Thinking("t", "EqQBsig"));
        assertThat(ThinkingReplay.forAnthropic(new Block.Thinking("", GatewaySignatures.redacted("EmwK"))))
                .isEqualTo(new Block.RedactedThinking("EmwK"));
    }

    @Test
    void anotherClaudeHostGetsItsOwnSignaturesBackAndNotAnthropics() {
        assertThat(ThinkingReplay.forUpstream(new Block.Thinking("t", GatewaySignatures.mint("bedrock", "EqBedrock")), "bedrock"))
                .isEqualTo(new Block.Thinking("t", "EqBedrock"));
        assertThat(ThinkingReplay.forUpstream(new Block.Thinking("t", GatewaySignatures.mint("anthropic", "EqQBsig")), "bedrock")).isNull();
        assertThat(ThinkingReplay.forAnthropic(new Block.Thinking("t", GatewaySignatures.mint("bedrock", "EqBedrock")))).isNull();
        assertThat(ThinkingReplay.forUpstream(new Block.Thinking("", GatewaySignatures.redacted("EmwK")), "bedrock"))
                .isEqualTo(new Block.RedactedThinking("EmwK"));
    }

    @Test
    void lastToolTurnWithoutThinking() throws Exception {
        assertThat(ThinkingReplay.lastToolTurnLacksThinking(Json.parse(("""
                [{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"thinking"},{"type":"tool_use"}]},
                 {"role":"user","content":[{"type":"tool_result"}]},{"role":"assistant","content":[{"type":"text"},{"type":"tool_use"}]},
                 {"role":"user","content":[{"type":"tool_result"}]}]""").getBytes()))).isTrue();
        assertThat(ThinkingReplay.lastToolTurnLacksThinking(Json.parse(("""
                [{"role":"assistant","content":[{"type":"text"},{"type":"tool_use"}]},
                 {"role":"assistant","content":[{"type":"redacted_thinking"},{"type":"tool_use"}]}]""").getBytes()))).isFalse();
        assertThat(ThinkingReplay.lastToolTurnLacksThinking(Json.parse(("""
                [{"role":"assistant","content":[{"type":"text"}]}]""").getBytes()))).isFalse();
    }
}
