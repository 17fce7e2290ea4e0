package io.llmgw.core.golden;

import io.llmgw.testing.GoldenCases;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Chat Completions client in front of Chat Completions upstreams (passthrough with quirk handling). */
class ChatGoldenTest {
    @TestFactory
    Stream<DynamicTest> openAiUpstream() {
        return GoldenCases.run(getClass(), "golden/chat-openai", new GoldenTarget("openai"));
    }

    @TestFactory
    Stream<DynamicTest> geminiUpstream() {
        return GoldenCases.run(getClass(), "golden/chat-gemini", new GoldenTarget("gemini"));
    }

    @TestFactory
    Stream<DynamicTest> azureUpstream() {
        return GoldenCases.run(getClass(), "golden/chat-azure", new GoldenTarget("azure-openai"));
    }
}
