package io.llmgw.core.golden;

import io.llmgw.testing.GoldenCases;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Responses API clients (Codex, the OpenAI SDKs) in front of chat-completions upstreams, and of native Responses upstreams. */
class ResponsesGoldenTest {
    @TestFactory
    Stream<DynamicTest> openAiChatUpstream() {
        return GoldenCases.run(getClass(), "golden/responses-openai", new GoldenTarget("openai"));
    }

    @TestFactory
    Stream<DynamicTest> azureChatUpstream() {
        return GoldenCases.run(getClass(), "golden/responses-azure", new GoldenTarget("azure-openai"));
    }

    @TestFactory
    Stream<DynamicTest> openAiNativeUpstream() {
        return GoldenCases.run(getClass(), "golden/responses-native-openai", new GoldenTarget("openai", "responses: native"));
    }

    @TestFactory
    Stream<DynamicTest> azureNativeUpstream() {
        return GoldenCases.run(getClass(), "golden/responses-native-azure",
                new GoldenTarget("azure-openai", "api_version: v1, responses: native"));
    }
}
