package io.llmgw.core.dialect.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.config.ThinkingSupport;
import io.llmgw.core.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PassthroughThinkingTest {
    private static ObjectNode body(String json) throws Exception {
        return (ObjectNode) Json.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static final String CLAUDE_CODE = "{\"model\":\"claude-opus-4-8\",\"max_tokens\":64000,\"thinking\":{\"type\":\"adaptive\"},"
            + "\"output_config\":{\"effort\":\"xhigh\"},\"context_management\":{\"edits\":[{\"type\":\"clear_thinking_20251015\","
            + "\"keep\":\"all\"},{\"type\":\"clear_tool_uses_20250919\"}]},\"messages\":[]}";

    @Test
    void adaptiveBecomesTheEffortsBudgetForBudgetModels() throws Exception {
        ObjectNode fitted = PassthroughThinking.fit(body(CLAUDE_CODE), ThinkingSupport.BUDGET);

        assertThat(Json.string(fitted.get("thinking"))).isEqualTo("{\"type\":\"enabled\",\"budget_tokens\":24576}");
        assertThat(fitted.at("/context_management/edits")).hasSize(2);
    }

    @Test
    void noRoomForTheSmallestBudgetMeansNoThinking() throws Exception {
        ObjectNode fitted = PassthroughThinking.fit(body("{\"max_tokens\":1000,\"thinking\":{\"type\":\"adaptive\"},\"messages\":[]}"),
                ThinkingSupport.BUDGET);

        assertThat(fitted.has("thinking")).isFalse();
    }

    @Test
    void modelsThatDoNotThinkLoseThinkingAndTheEditsThatClearIt() throws Exception {
        ObjectNode fitted = PassthroughThinking.fit(body(CLAUDE_CODE), ThinkingSupport.NONE);

        assertThat(fitted.has("thinking")).isFalse();
        assertThat(Json.string(fitted.get("context_management"))).isEqualTo("{\"edits\":[{\"type\":\"clear_tool_uses_20250919\"}]}");
        assertThat(PassthroughThinking.fit(body("{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048},\"context_management\":"
                + "{\"edits\":[{\"type\":\"clear_thinking_20251015\"}]}}"), ThinkingSupport.NONE).has("context_management")).isFalse();
    }

    @Test
    void budgetsBecomeAdaptiveWithTheirEffortUnlessOneWasGiven() throws Exception {
        ObjectNode fitted = PassthroughThinking.fit(body("{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":20000,"
                + "\"display\":\"omitted\"}}"), ThinkingSupport.ADAPTIVE);
        ObjectNode withEffort = PassthroughThinking.fit(body("{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},"
                + "\"output_config\":{\"effort\":\"max\",\"format\":{\"type\":\"json_schema\"}}}"), ThinkingSupport.ADAPTIVE);

        assertThat(Json.string(fitted.get("thinking"))).isEqualTo("{\"type\":\"adaptive\",\"display\":\"omitted\"}");
        assertThat(fitted.at("/output_config/effort").asText()).isEqualTo("high");
        assertThat(Json.string(withEffort.get("output_config"))).isEqualTo("{\"effort\":\"max\",\"format\":{\"type\":\"json_schema\"}}");
    }

    @Test
    void whatTheModelTakesOrNobodyKnowsGoesAsSent() throws Exception {
        assertThat(PassthroughThinking.fit(body(CLAUDE_CODE), ThinkingSupport.ADAPTIVE)).isNull();
        assertThat(PassthroughThinking.fit(body(CLAUDE_CODE), null)).isNull();
        assertThat(PassthroughThinking.fit(body("{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}}"), ThinkingSupport.BUDGET))
                .isNull();
        assertThat(PassthroughThinking.fit(body("{\"thinking\":{\"type\":\"disabled\"}}"), ThinkingSupport.NONE)).isNull();
        assertThat(PassthroughThinking.fit(body("{\"messages\":[]}"), ThinkingSupport.NONE)).isNull();
    }
}
