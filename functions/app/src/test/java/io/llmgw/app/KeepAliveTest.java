package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.testing.AnthropicStreams;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.Reply;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A started stream whose upstream goes quiet gets keep-alive frames, and the content is unchanged. */
class KeepAliveTest {
    @Test
    void silentUpstreamGetsKeepAliveComments() {
        String yaml = TestGateway.singleUpstream("openai", "%s") + "upstream:\n  keep_alive: 200ms\n";
        try (FakeUpstream upstream = FakeUpstream.start();
             TestGateway gateway = TestGateway.start(yaml.formatted(upstream.baseUrl()))) {
            upstream.handler(request -> Reply.sse(ChatScript.text("slow").chunkSize(2).chunks(false)).eventDelay(Duration.ofMillis(700)));
            HttpResponse<String> response = gateway.postJsonWithKey("/v1/chat/completions",
                    "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
            assertThat(response.body()).contains(": keep-alive\n\n");
            assertThat(response.body().lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList())
                    .hasSize(5).last().isEqualTo("[DONE]");
        }
    }

    @Test
    void silentUpstreamGetsAnthropicPings() {
        // six events 700 ms apart: a timeout well above their 4 s, so a loaded machine cannot cut the stream short
        String yaml = TestGateway.singleUpstream("azure-openai", "%s").replace("timeout: 5s", "timeout: 30s")
                + "upstream:\n  keep_alive: 200ms\n";
        try (FakeUpstream upstream = FakeUpstream.start();
             TestGateway gateway = TestGateway.start(yaml.formatted(upstream.baseUrl()))) {
            upstream.handler(request -> Reply.sse(ChatScript.text("slow").chunkSize(2).azureQuirks().chunks(true))
                    .eventDelay(Duration.ofMillis(700)));
            HttpResponse<String> response = gateway.postJson("/v1/messages",
                    "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":64,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                    "x-api-key", TestGateway.GATEWAY_KEY, "anthropic-version", "2023-06-01");
            assertThat(response.body()).contains("event: ping\ndata: {\"type\":\"ping\"}\n\n");
            assertThat(AnthropicStreams.check(response.body()).blocks()).singleElement()
                    .satisfies(b -> assertThat(b.text()).isEqualTo("slow"));
        }
    }
}
