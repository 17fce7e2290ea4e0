package io.llmgw.core.provider.mock;

import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.protocol.openai.ChatCompletionsProvider;
import io.llmgw.core.spi.Deployment;
import io.llmgw.core.upstream.InProcessUpstream;
import java.net.URI;
import java.util.Map;

/**
 * The {@code mock} provider type: a chat-completions upstream reached in-process at
 * {@link MockServer}. Nothing is signed: the answer is made in this process, so no key,
 * configured or forwarded, goes anywhere.
 */
final class MockProvider extends ChatCompletionsProvider<MockSettings> {
    private static final MockServer SERVER = new MockServer();

    MockProvider(GatewayConfig.Provider config) {
        super(config, MockSettings.class);
    }

    @Override
    protected URI chatCompletionsUri(Deployment deployment) {
        return MockServer.uri("chat/completions", settings);
    }

    @Override
    protected URI modelsUri() {
        return MockServer.uri("models", settings);
    }

    @Override
    public Map<String, InProcessUpstream> inProcess() {
        return Map.of(MockServer.SCHEME, SERVER);
    }
}
