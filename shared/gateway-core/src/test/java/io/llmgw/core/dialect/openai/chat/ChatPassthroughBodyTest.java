package io.llmgw.core.dialect.openai.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.routing.GatewayHarness;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a chat completion passed through sends upstream: the client's own bytes with the deployment's
 * model name put in when that is the only change, and a rewritten body only where the deployment
 * needs more (usage asked for on a stream, a token limit over its ceiling).
 */
class ChatPassthroughBodyTest {
    private FakeUpstream upstream;
    private GatewayHarness harness;

    @BeforeEach
    void start() {
        upstream = FakeUpstream.start().handler(ChatScript.text("hello").handler());
        harness = new GatewayHarness("""
                auth: { mode: gateway, keys: ["${KEY}"] }
                providers:
                  up: { type: openai, base_url: "%s/v1", api_key: sk-configured-upstream-key-000000 }
                models:
                  alias: { deployments: [ { provider: up, model: gpt-4o-prod, max_output_tokens: 100 } ] }
                  same: { deployments: [ { provider: up } ] }
                """.formatted(upstream.baseUrl()));
    }

    @AfterEach
    void stop() {
        harness.close();
        upstream.close();
    }

    @Test
    void theClientsBytesTravelWithOnlyTheModelReplaced() {
        String sent = "{ \"temperature\" : 1.0E0, \"model\":\"alias\",\n \"messages\":[{\"role\":\"user\",\"content\":\"h\\u00e9\"}],"
                + " \"max_tokens\": 100, \"zeta\": {\"b\":1,\"a\":2} }";
        assertThat(send(sent).status()).isEqualTo(200);
        assertThat(upstream.lastRequest().bodyText()).isEqualTo(sent.replace("\"alias\"", "\"gpt-4o-prod\""));
    }

    @Test
    void aModelNamedAsTheUpstreamNamesItLeavesTheBytesAsTheyAre() {
        String sent = "{\"model\":\"same\" , \"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0.50}";
        assertThat(send(sent).status()).isEqualTo(200);
        assertThat(upstream.lastRequest().bodyText()).isEqualTo(sent);
    }

    @Test
    void aTokenLimitOverTheCeilingIsRewritten() throws Exception {
        String sent = "{\"model\":\"alias\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":5000}";
        assertThat(send(sent).status()).isEqualTo(200);
        JsonNode received = Json.parse(upstream.lastRequest().body());
        assertThat(received.get("max_tokens").intValue()).isEqualTo(100);
        assertThat(received.get("model").textValue()).isEqualTo("gpt-4o-prod");
    }

    @Test
    void aStreamIsRewrittenToAskForUsageUnlessTheClientDid() throws Exception {
        send("{\"model\":\"alias\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(Json.parse(upstream.lastRequest().body()).at("/stream_options/include_usage").booleanValue()).isTrue();

        String asking = "{\"model\":\"alias\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        send(asking);
        assertThat(upstream.lastRequest().bodyText()).isEqualTo(asking.replace("\"alias\"", "\"gpt-4o-prod\""));
    }

    @Test
    void aStreamKeepsTheClientsBytesWithTheUsageAskedForPutLast() {
        String sent = " { \"model\":\"alias\", \"stream\": true,\n \"temperature\" : 1.0E0,"
                + " \"messages\":[{\"role\":\"user\",\"content\":\"h\\u00e9\"}] }";
        assertThat(send(sent).status()).isEqualTo(200);
        assertThat(upstream.lastRequest().bodyText()).isEqualTo(
                " { \"model\":\"gpt-4o-prod\", \"stream\": true,\n \"temperature\" : 1.0E0,"
                        + " \"messages\":[{\"role\":\"user\",\"content\":\"h\\u00e9\"}] ,\"stream_options\":{\"include_usage\":true}}");
    }

    @Test
    void aStreamsOwnOptionsGainTheUsageFlagBesideTheirs() throws Exception {
        send("{\"model\":\"alias\",\"stream\":true,\"stream_options\":{\"include_obfuscation\":false,\"include_usage\":false},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        JsonNode received = Json.parse(upstream.lastRequest().body());
        assertThat(received.get("stream_options").toString()).isEqualTo("{\"include_obfuscation\":false,\"include_usage\":true}");
        assertThat(received.get("model").textValue()).isEqualTo("gpt-4o-prod");
    }

    private BufferingSink send(String body) {
        return harness.post("/v1/chat/completions", body);
    }
}
