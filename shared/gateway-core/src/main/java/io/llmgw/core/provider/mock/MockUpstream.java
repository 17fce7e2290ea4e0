package io.llmgw.core.provider.mock;

import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.http.Headers;
import io.llmgw.core.provider.ChatUpstream;
import io.llmgw.core.routing.Deployment;
import java.net.URI;

/** The {@code mock} provider type: a chat-completions upstream reached in-process at {@link MockServer}. */
public final class MockUpstream implements ChatUpstream {
    @Override
    public URI chatCompletionsUri(Deployment deployment) {
        return MockServer.uri("chat/completions", deployment.provider().mockLatency());
    }

    @Override
    public URI modelsUri(GatewayConfig.Provider provider) {
        return MockServer.uri("models", provider.mockLatency());
    }

    /** Nothing: the answer is made in this process, so no key, configured or forwarded, goes anywhere. */
    @Override
    public void authorize(Headers headers, String key) {}
}
