package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import java.net.http.HttpResponse;
import java.util.List;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The per-stream buffers are small (2 KB gathered per answer and at most 32 KB queued for a slow client,
 * 512-byte upstream session buffers and SSE reader buffer: README, Memory per stream in flight), the
 * server bounds its connections and its accept queue, and nothing larger than the buffers is cut or
 * reframed: a 60 KB answer keeps its length, a 20 KB streamed delta arrives whole.
 */
class ConnectionBuffersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BIG = "0123456789abcdef".repeat(3840);  // 61,440 characters

    @Test
    void theServerKeepsSmallBuffersAndBoundsItsConnections() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start();
             TestGateway gateway = TestGateway.start(TestGateway.singleUpstream("openai", upstream.baseUrl()));
             RawHttp client = new RawHttp(gateway.port())) {
            GatewayServer server = gateway.server();
            assertThat(server.settings().maxHeaderBytes()).isEqualTo(16 * 1024);
            assertThat(server.settings().idleTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(server.listener().config().getOption(ChannelOption.SO_BACKLOG)).isEqualTo(ServerSettings.ACCEPT_QUEUE).isEqualTo(1024);
            assertThat(server.connections().max()).isEqualTo(ServerSettings.MAX_CONNECTIONS).isEqualTo(8192);

            client.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(RawHttp.status(client.readResponse())).isEqualTo(200);
            Channel connection = server.connections().channels().iterator().next();
            WriteBufferWaterMark marks = connection.config().getOption(ChannelOption.WRITE_BUFFER_WATER_MARK);
            assertThat(marks.high()).as("bytes a slow client may leave unread before writes wait").isEqualTo(32 * 1024);
            assertThat(marks.low()).isEqualTo(8 * 1024);
            assertThat(connection.config().isAutoRead()).as("bodies are read when the gateway asks, not as they come").isFalse();
            assertThat(ServerSettings.OUTPUT_BUFFER_BYTES).isEqualTo(2048);
        }
    }

    @Test
    void answersAndEventsLargerThanTheBuffersArriveWhole() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start();
             TestGateway gateway = TestGateway.start(TestGateway.singleUpstream("openai", upstream.baseUrl()))) {
            upstream.handler(ChatScript.text(BIG).chunkSize(20_000).handler());

            HttpResponse<String> whole = gateway.postJsonWithKey("/v1/chat/completions",
                    "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(whole.headers().firstValueAsLong("content-length")).hasValue(whole.body().getBytes().length);
            assertThat(JSON.readTree(whole.body()).at("/choices/0/message/content").asText().equals(BIG)).as("the whole text").isTrue();

            HttpResponse<String> streamed = gateway.postJsonWithKey("/v1/chat/completions",
                    "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
            List<JsonNode> chunks = streamed.body().lines().filter(l -> l.startsWith("data: {"))
                    .map(l -> read(l.substring(6))).toList();
            List<String> deltas = chunks.stream().map(c -> c.at("/choices/0/delta/content")).filter(JsonNode::isTextual)
                    .map(JsonNode::asText).filter(d -> !d.isEmpty()).toList();
            assertThat(deltas.stream().map(String::length).toList()).containsExactly(20_000, 20_000, 20_000, 1_440);
            assertThat(String.join("", deltas).equals(BIG)).as("the deltas put together are the text").isTrue();
            assertThat(streamed.body()).endsWith("data: [DONE]\n\n");
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
