package io.llmgw.provider.bedrock;

import io.llmgw.testing.GoldenCases;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Each client dialect in front of Amazon Bedrock, translated through the canonical model; see the suites' NOTES.md. */
class BedrockGoldenTest {
    private final BedrockGoldenTarget bedrock = new BedrockGoldenTarget();

    @TestFactory
    Stream<DynamicTest> chatCompletionsClients() {
        return GoldenCases.run(getClass(), "golden/chat-bedrock", bedrock, bedrock);
    }

    @TestFactory
    Stream<DynamicTest> responsesClients() {
        return GoldenCases.run(getClass(), "golden/responses-bedrock", bedrock, bedrock);
    }

    @TestFactory
    Stream<DynamicTest> messagesClients() {
        return GoldenCases.run(getClass(), "golden/messages-bedrock", bedrock, bedrock);
    }
}
