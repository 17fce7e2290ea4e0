package io.llmgw.core.protocol.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.config.ThinkingSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ThinkingFormsTest {
    @ParameterizedTest
    @CsvSource({
        "claude-opus-4-8, ADAPTIVE", "claude-opus-4-6, ADAPTIVE", "claude-sonnet-4-6-20260101, ADAPTIVE", "claude-sonnet-5, ADAPTIVE",
        "anthropic.claude-opus-4-6-v1, ADAPTIVE",
        "claude-sonnet-4-5-20250929, BUDGET", "claude-sonnet-4-20250514, BUDGET", "claude-opus-4-1-20250805, BUDGET",
        "claude-haiku-4-5, BUDGET", "claude-3-7-sonnet-20250219, BUDGET", "us.anthropic.claude-3-7-sonnet-20250219-v1:0, BUDGET",
        "claude-3-5-sonnet-20241022, NONE", "claude-3-5-haiku-latest, NONE", "claude-3-opus-20240229, NONE", "claude-2.1, NONE",
        "claude-instant-1.2, NONE"})
    void formsAreToldFromClaudeVersions(String model, ThinkingSupport expected) {
        assertThat(ThinkingForms.of(model, null)).isEqualTo(expected);
    }

    @Test
    void otherNamesAreUnknownAndTheDeploymentSettingWins() {
        assertThat(ThinkingForms.of("kimi-k2", null)).isNull();
        assertThat(ThinkingForms.of("my-claude", null)).isNull();
        assertThat(ThinkingForms.of("kimi-k2", ThinkingSupport.BUDGET)).isEqualTo(ThinkingSupport.BUDGET);
        assertThat(ThinkingForms.of("claude-opus-4-6", ThinkingSupport.NONE)).isEqualTo(ThinkingSupport.NONE);
    }

    @Test
    void budgetsFollowTheEffort() {
        assertThat(ThinkingForms.budget("low")).isEqualTo(1024);
        assertThat(ThinkingForms.budget(null)).isEqualTo(8192);
        assertThat(ThinkingForms.budget("high")).isEqualTo(16_384);
        assertThat(ThinkingForms.budget("max")).isEqualTo(32_000);
    }
}
