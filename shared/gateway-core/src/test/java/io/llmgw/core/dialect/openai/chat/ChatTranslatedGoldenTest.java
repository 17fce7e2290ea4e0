package io.llmgw.core.dialect.openai.chat;

import io.llmgw.core.golden.GoldenTarget;
import io.llmgw.testing.GoldenCases;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The translated path end to end: a Chat client's request decoded into the canonical model,
 * re-encoded for the upstream, and the upstream's answer encoded back as chat chunks or a chat
 * completion. Run against a chat-completions upstream with the endpoint's test seam sending every
 * request down the translated path, since no provider that does not speak chat exists yet.
 */
class ChatTranslatedGoldenTest {
    @TestFactory
    Stream<DynamicTest> openAiUpstream() {
        return GoldenCases.run(getClass(), "golden/chat-translated-openai", translated(new GoldenTarget("openai")));
    }

    static GoldenCases.Target translated(GoldenCases.Target target) {
        return (request, upstreamBaseUrl) -> {
            ChatDialect.translateEveryUpstream = true;
            try {
                return target.send(request, upstreamBaseUrl);
            } finally {
                ChatDialect.translateEveryUpstream = false;
            }
        };
    }
}
