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
    void aFieldPutLastLeavesEveryOtherByteAndStaysOneObject() throws Exception {
        assertThat(last("\n { \"model\" : \"m\", \"n\": 1.0E2 } \n")).isEqualTo("\n { \"model\" : \"m\", \"n\": 1.0E2 ,\"o\":{\"u\":true}} \n");
        assertThat(last("{}")).isEqualTo("{\"o\":{\"u\":true}}");
        assertThat(last("{ \t}")).isEqualTo("{ \t\"o\":{\"u\":true}}");
        assertThat(Json.parse(last(" {\"a\":[1]} ").getBytes(StandardCharsets.UTF_8)).toString()).isEqualTo("{\"a\":[1],\"o\":{\"u\":true}}");
        assertThat(last("[{}]")).isNull();
        assertThat(last("  ")).isNull();
    }

    private static String last(String json) {
        byte[] out = Json.withLastField(json.getBytes(StandardCharsets.UTF_8), "o", "{\"u\":true}");
        return out == null ? null : new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void aValueAlreadyInPlaceLeavesTheSameBytes() throws Exception {
        byte[] body = "{\"model\":\"m\",\"n\":1.0E2}".getBytes(StandardCharsets.UTF_8);
        assertThat(Json.replaceTopLevelString(body, "model", "m")).isSameAs(body);
    }

    @Test
    void literalsAreWhatTheMapperWrites() throws Exception {
        java.util.Random random = new java.util.Random(11);
        for (int i = 0; i < 5_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(24); n > 0; n--) {
                text.append(random.nextInt(4) == 0 ? (char) random.nextInt(0x120) : (char) (0x20 + random.nextInt(0x5f)));
            }
            assertThat(Json.literal(text.toString())).as(text.toString()).isEqualTo(Json.MAPPER.writeValueAsBytes(text.toString()));
        }
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

    @Test
    void onlyTheNamedTopLevelValueBecomesATree() throws Exception {
        byte[] answer = ("{\"id\":\"c\",\"choices\":[{\"usage\":{\"inner\":1}}],\"usage\":{\"prompt_tokens\":20,\"details\":{\"cached\":3}},"
                + "\"after\":[1,2]}").getBytes(StandardCharsets.UTF_8);

        assertThat(tree(answer, "usage").toString()).isEqualTo("{\"prompt_tokens\":20,\"details\":{\"cached\":3}}");
        assertThat(tree(answer, "id").asText()).isEqualTo("c");
        assertThat(tree(answer, "inner")).as("a nested field is not a top-level one").isNull();
        assertThat(Json.topLevel("[{\"usage\":1}]".getBytes(StandardCharsets.UTF_8), null, "usage")).isNull();
        // nothing after the value is read: a document cut off behind it still yields it
        assertThat(tree("{\"usage\":{\"n\":1},\"rest\":[".getBytes(StandardCharsets.UTF_8), "usage").get("n").asInt()).isEqualTo(1);
    }

    @Test
    void theModelAndTheUsageAreReadInOnePass() throws Exception {
        String answer = "{\"choices\":[{\"model\":\"inner\"}],\"model\" : \"gpt-4o-2024\",\"usage\":{\"total_tokens\":3}}";
        Json.TopLevel read = Json.topLevel(answer.getBytes(StandardCharsets.UTF_8), "model", "usage");
        assertThat(read.string().text()).isEqualTo("gpt-4o-2024");
        assertThat(answer.substring(read.string().start(), read.string().end())).isEqualTo("\"gpt-4o-2024\"");
        assertThat(read.tree().get("total_tokens").asInt()).isEqualTo(3);

        Json.TopLevel usageFirst = Json.topLevel("{\"usage\":{\"n\":1},\"model\":7,\"x\":[".getBytes(StandardCharsets.UTF_8), "model", "usage");
        assertThat(usageFirst.string()).as("a model that is no string").isNull();
        assertThat(usageFirst.tree().get("n").asInt()).isEqualTo(1);
        assertThat(Json.topLevel("{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8), "model", "usage").tree()).isNull();
    }

    private static com.fasterxml.jackson.databind.JsonNode tree(byte[] json, String field) throws Exception {
        return Json.topLevel(json, null, field).tree();
    }
}
