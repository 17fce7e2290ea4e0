package io.llmgw.core.golden;

import io.llmgw.testing.GoldenCases;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code GET /v1/models} behind the golden configuration's {@code "*"} route (no fixed model): the
 * configured names, then the upstream's own list — only the ids the gateway would route to that
 * entry, in the client's list shape — and the configured names alone when the upstream's list fails.
 */
class ModelsGoldenTest {
    @TestFactory
    Stream<DynamicTest> openAiUpstream() {
        return GoldenCases.run(getClass(), "golden/models-openai", new GoldenTarget("openai"));
    }

    @TestFactory
    Stream<DynamicTest> anthropicUpstream() {
        return GoldenCases.run(getClass(), "golden/models-anthropic", new GoldenTarget("anthropic"));
    }

    @TestFactory
    Stream<DynamicTest> geminiUpstream() {
        return GoldenCases.run(getClass(), "golden/models-gemini", new GoldenTarget("gemini"));
    }
}
