package io.llmgw.netty;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Upstreams named by host name: resolved as the JDK resolves them (its cache, {@code /etc/hosts}), off
 * the event loop, and a name that does not resolve fails the exchange instead of stalling the loop.
 */
class HostNamesTest extends TransportTestBase {
    @Test
    void aHostNameIsResolvedAndAnswered() throws Exception {
        FakeUpstream upstream = upstream((request, link) -> link.write(whole("{\"id\":\"named\"}")));
        RecordingListener listener = new RecordingListener();
        send(post(upstream.url("/v1/chat/completions").replace("127.0.0.1", "localhost")), listener);

        assertThat(listener.head().status()).isEqualTo(200);
        assertThat(listener.bodyUntil("}")).isEqualTo("{\"id\":\"named\"}");
        listener.end();
    }

    @Test
    void aNameThatDoesNotResolveFailsTheExchangeAndTheLoopGoesOn() throws Exception {
        RecordingListener unresolved = new RecordingListener();
        send(post("http://no-such-upstream.invalid/v1/chat/completions"), unresolved);
        assertThat(unresolved.failure().cause()).isInstanceOf(java.net.UnknownHostException.class);

        FakeUpstream upstream = upstream((request, link) -> link.write(whole("{\"id\":\"after\"}")));
        RecordingListener after = new RecordingListener();
        send(post(upstream.url("/v1/chat/completions")), after);
        assertThat(after.head().status()).isEqualTo(200);
        assertThat(after.bodyUntil("}")).isEqualTo("{\"id\":\"after\"}");
    }
}
