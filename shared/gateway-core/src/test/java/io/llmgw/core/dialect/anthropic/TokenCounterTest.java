package io.llmgw.core.dialect.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.model.Block;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.Message;
import io.llmgw.core.model.Role;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenCounterTest {
    private static int count(Block... blocks) {
        return TokenCounter.forModel("gpt-4o").count(new CanonicalRequest("claude-x", null, List.of(new Message(Role.USER, List.of(blocks))),
                null, null, null, null, null, null, null, null, null, null, false, null));
    }

    @Test
    void oneShortMessageCostsWhatOpenAiReports() {
        // 3 per message + "user" + "Say hello" (2) + 3 to prime the reply
        assertThat(count(new Block.Text("Say hello"))).isEqualTo(9);
    }

    @Test
    void theEncodingFollowsTheModelGeneration() {
        String text = "Gateways translate streams, token by token: naïve façade — 日本語.";
        int o200k = TokenCounter.forModel("gpt-4o").count(request(text));
        assertThat(TokenCounter.forModel("gpt-4.1-mini").count(request(text))).isEqualTo(o200k);
        assertThat(TokenCounter.forModel("my-azure-deployment").count(request(text))).isEqualTo(o200k);
        assertThat(TokenCounter.forModel("gpt-35-turbo").count(request(text)))
                .isEqualTo(TokenCounter.forModel("gpt-4-turbo").count(request(text))).isNotEqualTo(o200k);
    }

    private static CanonicalRequest request(String text) {
        return new CanonicalRequest("claude-x", null, List.of(new Message(Role.USER, List.of(new Block.Text(text)))),
                null, null, null, null, null, null, null, null, null, null, false, null);
    }

    @Test
    void imagesAndPdfPagesHaveFixedCosts() {
        int text = count(new Block.Text("look"));
        assertThat(count(new Block.Text("look"), new Block.Image("image/png", "AAAA", null, null))).isEqualTo(text + TokenCounter.IMAGE_TOKENS);
        String pdf = Base64.getEncoder().encodeToString("%PDF-1.4 /Type /Pages /Type /Page x /Type/Page y".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(TokenCounter.pdfPages(pdf)).isEqualTo(2);
        assertThat(TokenCounter.pdfPages("not base64 !")).isEqualTo(1);
    }

    @Test
    void toolResultsCountAsToolMessagesAndThinkingIsNotSentSoNotCounted() {
        int result = count(new Block.ToolResult("toolu_1", List.of(new Block.Text("22C")), false));
        int error = count(new Block.ToolResult("toolu_1", List.of(new Block.Text("22C")), true));
        assertThat(error).isGreaterThan(result);
        assertThat(count(new Block.Text("a"), new Block.Thinking("long reasoning text here", "sig"))).isEqualTo(count(new Block.Text("a")));
    }
}
