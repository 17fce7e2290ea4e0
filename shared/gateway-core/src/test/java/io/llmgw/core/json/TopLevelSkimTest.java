package io.llmgw.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The skim gives what Jackson's token-by-token read gives, or leaves the document to it. */
class TopLevelSkimTest {
    private static final String ANSWER = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o-2024\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"a \\\"}]\\\\ b {[\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":5,\"prompt_tokens_details\":{\"cached_tokens\":3}},\"tail\":[1]}";

    @Test
    void aTypicalAnswerIsSkimmedNotParsed() {
        byte[] json = bytes(ANSWER);
        TopLevelSkim.Found found = TopLevelSkim.find(json, "model", "usage");
        assertThat(found).isNotNull();
        assertThat(text(json, found.string())).isEqualTo("\"gpt-4o-2024\"");
        assertThat(text(json, found.value())).isEqualTo("{\"prompt_tokens\":20,\"completion_tokens\":5,\"prompt_tokens_details\":{\"cached_tokens\":3}}");
    }

    @Test
    void whatItDoesNotReadPlainlyIsLeftToJackson() {
        for (String json : List.of(
                "{\"mod\\u0065l\":\"m\",\"usage\":{}}",          // an escaped name
                "{\"model\":\"gpt\\u002d4\",\"usage\":{}}",      // an escape in the string wanted
                "{\"model\":\"modèle\",\"usage\":{}}",           // non-ASCII in it
                "\uFEFF{\"model\":\"m\",\"usage\":{}}",          // a byte-order mark
                "[{\"usage\":1}]", "\"usage\"", "",
                "{\"model\":\"m\",\"choices\":[{\"x\":\"}]", // cut off before the usage
                "{\"model\" \"m\"}", "{\"model\":,\"usage\":1}", "{\"a\":1 \"usage\":2}", "{\"usage\":12")) {
            assertThat(TopLevelSkim.find(bytes(json), "model", "usage")).as(json).isNull();
        }
    }

    @Test
    void readsTheSameAsJacksonOnEveryShape() throws IOException {
        List<String> documents = new ArrayList<>(List.of(ANSWER,
                "{}", " { } ", "{\"model\":\"m\"}", "{\"usage\":null,\"model\":\"m\"}", "{\"usage\":3}",
                "{\"model\":7,\"usage\":{\"n\":1}}", "{\"model\":\"first\",\"model\":\"second\",\"usage\":[1,{\"a\":\"]\"}]}",
                "{\"usage\":{\"n\":1},\"usage\":{\"n\":2},\"model\":\"m\"}",
                "{\n\t\"choices\" : [ { \"model\" : \"inner\" , \"usage\" : { } } ] ,\r\n \"model\" : \"outer\" , \"usage\" : { \"t\" : 1 } }",
                "{\"x\":\"\\\\\",\"model\":\"m\",\"usage\":{\"s\":\"\\\"}\"}}", "{\"x\":true,\"y\":false,\"z\":null,\"n\":-1.5e3,\"usage\":{}}",
                "{\"usage\":{\"n\":1},\"rest\":[", "{\"model\":\"m\",\"usage\":{\"n\":1}} trailing", "{\"model\":\"\",\"usage\":\"\"}",
                "{\"mod\\u0065l\":\"m\",\"usage\":{}}", "{\"model\":\"gpt\\u002d4\",\"usage\":{}}", "[{\"usage\":1}]"));
        documents.addAll(goldenAnswers());
        assertThat(documents).hasSizeGreaterThan(30);
        for (String document : documents) {
            byte[] json = bytes(document);
            for (String[] fields : new String[][] {{"model", "usage"}, {null, "usage"}, {"model", "absent"}}) {
                String field = fields[0];
                String tree = fields[1];
                assertThat(outcome(() -> Json.topLevel(json, field, tree)))
                        .as(document)
                        .isEqualTo(outcome(() -> Json.parsedTopLevel(json, field, tree)));
            }
        }
    }

    /** Every whole upstream answer among the golden files: real shapes, from every provider. */
    private static List<String> goldenAnswers() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/test/resources/golden"))) {
            List<String> answers = new ArrayList<>();
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                String text = Files.readString(file);
                if (text.contains("\"usage\"") || text.contains("\"model\"")) {
                    answers.add(text);
                }
            }
            return answers;
        }
    }

    private interface Read {
        Json.TopLevel read() throws IOException;
    }

    /** What a read gives, as text; the passthrough takes a read that throws as it takes null: the answer goes on as sent. */
    private static String outcome(Read reading) {
        Json.TopLevel read;
        try {
            read = reading.read();
        } catch (IOException | RuntimeException notJson) {
            return "null";
        }
        if (read == null) {
            return "null";
        }
        Json.StringAt string = read.string();
        return (string == null ? "-" : string.start() + ".." + string.end() + "=" + string.text()) + " | " + read.tree();
    }

    private static String text(byte[] json, TopLevelSkim.Span span) {
        return new String(json, span.start(), span.end() - span.start(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
