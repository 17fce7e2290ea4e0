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
 * Clients of every dialect in front of an Anthropic upstream: Anthropic clients passed through
 * (docs/protocol-mapping.md#messages-passthrough; golden scenario 14 among them), Responses clients
 * translated (docs/protocol-mapping.md#responses-stream), and Chat clients translated
 * (docs/protocol-mapping.md#chat-stream; scenario 7: a Chat client in front of an Anthropic stream). Each suite's {@code NOTES.md} maps its folders.
 */
class AnthropicUpstreamGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSTHROUGH = "golden/anthropic-anthropic";

    @TestFactory
    Stream<DynamicTest> anthropicClientPassedThrough() {
        return GoldenCases.run(getClass(), PASSTHROUGH, new GoldenTarget("anthropic"));
    }

    @TestFactory
    Stream<DynamicTest> responsesClientTranslated() {
        return GoldenCases.run(getClass(), "golden/responses-anthropic", new GoldenTarget("anthropic"));
    }

    @TestFactory
    Stream<DynamicTest> chatClientTranslated() {
        return GoldenCases.run(getClass(), "golden/chat-anthropic", new GoldenTarget("anthropic"));
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

    @TestFactory
    Stream<DynamicTest> expectedStreamsFollowTheGrammar() throws IOException {
        return cases(PASSTHROUGH).map(c -> c.resolve("expected-response.sse")).filter(Files::exists)
                .map(f -> DynamicTest.dynamicTest(f.getParent().getFileName().toString(), () -> AnthropicStreams.check(Files.readString(f))));
    }

    private Stream<Path> cases(String suite) throws IOException {
        // the source tree's files, so that a run with -Dgolden.update=true checks what it just wrote
        Path compiled = Path.of(getClass().getClassLoader().getResource(suite).getPath());
        Path source = Path.of(compiled.toString().replace("/target/test-classes/", "/src/test/resources/"));
        Path dir = Files.isDirectory(source) ? source : compiled;
        try (Stream<Path> folders = Files.list(dir)) {
            return folders.filter(Files::isDirectory).sorted().toList().stream();
        }
    }
}
