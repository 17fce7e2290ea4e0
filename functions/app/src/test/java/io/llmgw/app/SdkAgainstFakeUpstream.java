package io.llmgw.app;

import com.openai.client.OpenAIClient;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import org.junit.jupiter.api.AfterEach;

/** For tests that put the official SDK in front of the running app and a fresh fake upstream per test. */
abstract class SdkAgainstFakeUpstream {
    protected FakeUpstream upstream;
    protected TestGateway gateway;

    /** Starts the upstream and the app with one provider of {@code providerType}; returns an OpenAI client for the app. */
    protected OpenAIClient start(String providerType) {
        upstream = FakeUpstream.start();
        gateway = TestGateway.start(TestGateway.singleUpstream(providerType, upstream.baseUrl()));
        return gateway.openAi();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    /** The script as that provider type streams it (Azure's empty first chunk and content-filter chunks). */
    protected static ChatScript quirks(String providerType, ChatScript script) {
        return providerType.equals("azure-openai") ? script.azureQuirks() : script;
    }
}
