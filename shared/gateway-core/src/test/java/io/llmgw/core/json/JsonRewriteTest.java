package io.llmgw.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonRewriteTest {
    private static String replace(String json, String value) throws Exception {
        byte[] out = Json.replaceTopLevelString(json.getBytes(StandardCharsets.UTF_8), "model", value);
        return out == null ? null : new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void onlyTheTopLevelValueChangesAndEveryOtherByteStays() throws Exception {
        String body = "{ \"messages\": [{\"model\": \"inner\", \"n\": 1.0E2}],\n  \"model\" :\"claude-\\u0073onnet\", \"x\": \"é\\n\" }";
        assertThat(replace(body, "claude-sonnet-4-5-20250929"))
                .isEqualTo("{ \"messages\": [{\"model\": \"inner\", \"n\": 1.0E2}],\n  \"model\" :\"claude-sonnet-4-5-20250929\", \"x\": \"é\\n\" }");
    }

    @Test
    void valuesNeedingEscapesAreEscaped() throws Exception {
        assertThat(replace("{\"model\":\"a\"}", "we\"ird")).isEqualTo("{\"model\":\"we\\\"ird\"}");
    }

    @Test
    void noTopLevelStringIsNull() throws Exception {
        assertThat(replace("{\"model\":1}", "m")).isNull();
        assertThat(replace("{\"messages\":{\"model\":\"m\"}}", "m")).isNull();
        assertThat(replace("[\"model\"]", "m")).isNull();
    }

    @Test
    void aNestedStringIsFoundWithoutReadingPastIt() throws Exception {
        byte[] event = "{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"content\":[{\"model\":\"x\"}],\"model\":\"claude-s\\u006fnnet\"},\"model\":\"top\"}"
                .getBytes(StandardCharsets.UTF_8);

        Json.StringAt at = Json.findString(event, "message", "model");

        assertThat(at.text()).isEqualTo("claude-sonnet");
        assertThat(new String(at.replacedBy(event, "claude-opus-4-8"), StandardCharsets.UTF_8))
                .isEqualTo("{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"content\":[{\"model\":\"x\"}],\"model\":\"claude-opus-4-8\"},\"model\":\"top\"}");
        assertThat(Json.findString(event, "model").text()).isEqualTo("top");
        assertThat(Json.findString(event, "message", "id", "model")).as("a string is no object to descend into").isNull();
        assertThat(Json.findString(event, "response", "model")).isNull();
        assertThat(Json.findString("[1]".getBytes(StandardCharsets.UTF_8), "model")).isNull();
    }
}
