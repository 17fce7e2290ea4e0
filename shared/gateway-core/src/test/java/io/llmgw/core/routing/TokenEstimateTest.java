package io.llmgw.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.json.Json;
import io.llmgw.testing.RealClientFixtures;
import org.junit.jupiter.api.Test;

class TokenEstimateTest {
    @Test
    void aSchemaIsCountedAsLongAsItsCompactJson() throws Exception {
        JsonNode schema = Json.MAPPER.readTree("""
                {"type":"object","properties":{"path":{"type":"string","description":"where"},"lines":{"type":"array",
                "items":{"type":"integer","minimum":1}},"force":{"type":"boolean","default":false},"none":null,"empty":{},"list":[]},
                "required":["path","lines"],"additionalProperties":false,"maximum":1.5}""");

        assertThat(TokenEstimate.jsonLength(schema)).isEqualTo(Json.string(schema).length());
    }

    @Test
    void claudeCodesToolSchemasAreCountedWithinTheirEscapes() {
        JsonNode tools = RealClientFixtures.load("claude-code-plain").stream()
                .filter(request -> request.body() != null && request.body().has("tools")).findFirst().orElseThrow().body().get("tools");
        assertThat(tools.size()).isGreaterThan(5);
        long counted = 0;
        long written = 0;
        for (JsonNode tool : tools) {
            counted += TokenEstimate.jsonLength(tool.get("input_schema"));
            written += Json.string(tool.get("input_schema")).length();
        }
        // the written form escapes quotes and line breaks in descriptions; the count leaves escapes out
        assertThat((double) counted).isCloseTo(written, within(written * 0.02));
    }
}
