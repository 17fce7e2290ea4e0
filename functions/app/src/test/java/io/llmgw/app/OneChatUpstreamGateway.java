package io.llmgw.app;

import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A test class's gateway, started once for the class, in front of one OpenAI-compatible fake upstream that answers "ok". */
abstract class OneChatUpstreamGateway {
    static FakeUpstream upstream;
    static TestGateway gateway;

    @BeforeAll
    static void startGateway() {
        upstream = FakeUpstream.start();
        upstream.handler(ChatScript.text("ok").handler());
        gateway = TestGateway.start(TestGateway.singleUpstream("openai", upstream.baseUrl()));
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
        upstream.close();
    }
}
