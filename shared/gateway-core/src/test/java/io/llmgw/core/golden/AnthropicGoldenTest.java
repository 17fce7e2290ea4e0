package io.llmgw.core.golden;

import io.llmgw.testing.AnthropicStreams;
import io.llmgw.testing.GoldenCases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Anthropic Messages clients in front of chat-completions upstreams (golden scenarios 1–6 and 10–14 of
 * docs/protocol-mapping.md#golden-scenarios; scenario 7 needs an Anthropic upstream and runs in
 * AnthropicUpstreamGoldenTest). Each suite's {@code NOTES.md} maps its folders to the scenarios.
 */
class AnthropicGoldenTest {
    private static final String[] SUITES = {"golden/anthropic-openai", "golden/anthropic-azure"};

    @TestFactory
    Stream<DynamicTest> openAiUpstream() {
        return GoldenCases.run(getClass(), SUITES[0], new GoldenTarget("openai"));
    }

    @TestFactory
    Stream<DynamicTest> azureUpstream() {
        return GoldenCases.run(getClass(), SUITES[1], new GoldenTarget("azure-openai"));
    }

    /** A reviewed golden file is only as good as the eye that read it: every expected stream must also pass the strict grammar. */
    @TestFactory
    Stream<DynamicTest> expectedStreamsFollowTheGrammar() throws IOException {
        Stream.Builder<DynamicTest> tests = Stream.builder();
        for (String suite : SUITES) {
            Path dir = Path.of(getClass().getClassLoader().getResource(suite).getPath());
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(f -> f.getFileName().toString().equals("expected-response.sse")).sorted().forEach(f -> tests.add(
                        DynamicTest.dynamicTest(dir.relativize(f).toString(), () -> AnthropicStreams.check(Files.readString(f)))));
            }
        }
        return tests.build();
    }
}
