package io.llmgw.core.golden;

import io.llmgw.testing.GoldenCases;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.TestFactory;

/**
 * The core's golden suites (docs/protocol-mapping.md#golden-cases), each folder under {@code golden/}
 * run through a real gateway in front of a fake upstream of one provider type ({@link GoldenTarget}).
 * Each suite's {@code NOTES.md} maps its folders to the golden scenarios; {@link AnthropicGoldenTest}
 * checks the Anthropic streams further.
 */
class GoldenSuitesTest {
    /** A folder under {@code golden/} and the provider its cases run against. */
    private record Suite(String folder, GoldenTarget target) {
        Suite(String folder, String providerType) {
            this(folder, new GoldenTarget(providerType));
        }
    }

    private static final List<Suite> SUITES = List.of(
            // Chat Completions clients: passed through to chat upstreams (their quirks absorbed), translated for Anthropic
            new Suite("chat-openai", "openai"),
            new Suite("chat-gemini", "gemini"),
            new Suite("chat-azure", "azure-openai"),
            new Suite("chat-anthropic", "anthropic"),
            // Responses clients (Codex, the OpenAI SDKs): translated to chat or Anthropic, passed through to native Responses upstreams
            new Suite("responses-openai", "openai"),
            new Suite("responses-azure", "azure-openai"),
            new Suite("responses-anthropic", "anthropic"),
            new Suite("responses-native-openai", new GoldenTarget("openai", "responses: native")),
            new Suite("responses-native-azure", new GoldenTarget("azure-openai", "api_version: v1, responses: native")),
            // Anthropic Messages clients: translated to chat upstreams, passed through to Anthropic
            new Suite("anthropic-openai", "openai"),
            new Suite("anthropic-azure", "azure-openai"),
            new Suite("anthropic-anthropic", "anthropic"),
            // GET /v1/models behind the "*" route: the configured names, then the ids of the upstream's list that route there
            // (the configured names alone when that list fails)
            new Suite("models-openai", "openai"),
            new Suite("models-anthropic", "anthropic"),
            new Suite("models-gemini", "gemini"));

    @TestFactory
    Stream<DynamicContainer> suites() {
        return SUITES.stream().map(suite -> DynamicContainer.dynamicContainer(suite.folder(),
                GoldenCases.run(getClass(), "golden/" + suite.folder(), suite.target())));
    }
}
