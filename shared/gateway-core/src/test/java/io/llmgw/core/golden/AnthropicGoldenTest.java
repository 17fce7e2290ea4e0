package io.llmgw.core.golden;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.testing.AnthropicStreams;
import io.llmgw.testing.GoldenCases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * What the golden Anthropic streams must be besides what their cases expect (the cases run in
 * {@link GoldenSuitesTest}): every expected stream follows the strict grammar, and a passed-through
 * stream is the upstream's bytes (docs/protocol-mapping.md#messages-passthrough).
 */
class AnthropicGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSTHROUGH = "golden/anthropic-anthropic";
    private static final List<String> ANTHROPIC_CLIENT_SUITES = List.of("golden/anthropic-openai", "golden/anthropic-azure", PASSTHROUGH);

    /** A reviewed golden file is only as good as the eye that read it: every expected stream must also pass the strict grammar. */
    @TestFactory
    Stream<DynamicTest> expectedStreamsFollowTheGrammar() throws IOException {
        Stream.Builder<DynamicTest> tests = Stream.builder();
        for (String suite : ANTHROPIC_CLIENT_SUITES) {
            cases(suite).map(c -> c.resolve("expected-response.sse")).filter(Files::exists).forEach(f -> tests.add(DynamicTest.dynamicTest(
                    suite.substring("golden/".length()) + "/" + f.getParent().getFileName(), () -> AnthropicStreams.check(Files.readString(f)))));
        }
        return tests.build();
    }

    /**
     * The passthrough promise in bytes, independent of how the expected files were produced: what a
     * client receives is the upstream's stream itself — but for message_start's model, which names the
     * model the client asked for — up to where it broke, if it broke, and then only an error event is added.
     */
    @TestFactory
    Stream<DynamicTest> passedThroughStreamsAreTheUpstreamsBytes() throws IOException {
        return cases(PASSTHROUGH).filter(c -> Files.exists(c.resolve("upstream.sse")) && Files.exists(c.resolve("expected-response.sse")))
                .map(c -> DynamicTest.dynamicTest(c.getFileName().toString(), () -> {
                    String requested = JSON.readTree(c.resolve("request.json").toFile()).at("/body/model").asText();
                    String upstream = withRequestedModel(Files.readString(c.resolve("upstream.sse")), requested);
                    String received = Files.readString(c.resolve("expected-response.sse"));
                    List<String> sent = GoldenCases.frames(upstream);
                    List<String> got = GoldenCases.frames(received);
                    boolean complete = sent.get(sent.size() - 1).startsWith("event: message_stop")
                            || sent.get(sent.size() - 1).startsWith("event: error");
                    if (complete && !Files.exists(c.resolve("upstream-meta.json"))) {
                        assertThat(received).isEqualTo(upstream);
                    } else {
                        assertThat(got.subList(0, got.size() - 1)).isEqualTo(sent.subList(0, got.size() - 1));
                        assertThat(got.get(got.size() - 1)).startsWith("event: error\n");
                    }
                }));
    }

    /** The upstream's stream with message_start's model replaced by {@code requested}, every other byte as it was. */
    private static String withRequestedModel(String upstream, String requested) {
        int start = upstream.indexOf("event: message_start\n");
        if (start < 0) {
            return upstream;
        }
        int model = upstream.indexOf("\"model\":\"", start) + "\"model\":\"".length();
        int end = upstream.indexOf('"', model);
        assertThat(upstream.substring(model, end)).as("the upstream names another model, or the case tests nothing")
                .isNotEqualTo(requested);
        return upstream.substring(0, model) + requested + upstream.substring(end);
    }

    /** The case folders of {@code suite}: the source tree's, so that a run with -Dgolden.update=true checks what it just wrote. */
    private Stream<Path> cases(String suite) throws IOException {
        Path compiled = Path.of(getClass().getClassLoader().getResource(suite).getPath());
        Path source = Path.of(compiled.toString().replace("/target/test-classes/", "/src/test/resources/"));
        Path dir = Files.isDirectory(source) ? source : compiled;
        try (Stream<Path> folders = Files.list(dir)) {
            return folders.filter(Files::isDirectory).sorted().toList().stream();
        }
    }
}
