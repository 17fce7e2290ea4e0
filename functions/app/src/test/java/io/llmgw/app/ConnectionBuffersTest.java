package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import java.net.http.HttpResponse;
import java.util.List;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

/**
 * The per-stream buffers are small (a 2 KB response buffer, 512-byte upstream session buffers and SSE reader
 * buffer: README, Memory per stream in flight), and nothing larger than
 * them is cut or reframed: a 60 KB answer keeps its length, a 20 KB streamed delta arrives whole.
 */
class ConnectionBuffersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BIG = "0123456789abcdef".repeat(3840);  // 61,440 characters

    @Test
    void theServerUsesSmallOutputBuffersAndVirtualThreadsForRequests() {
        try (FakeUpstream upstream = FakeUpstream.start();
             TestGateway gateway = TestGateway.start(TestGateway.singleUpstream("openai", upstream.baseUrl()))) {
            Server server = gateway.server();
            HttpConfiguration http = server.getConnectors()[0].getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration();
            assertThat(http.getOutputBufferSize()).isEqualTo(2048);
            assertThat(http.getOutputAggregationSize()).isEqualTo(2048);
            assertThat(http.getRequestHeaderSize()).isEqualTo(16 * 1024);
            assertThat(((ServerConnector) server.getConnectors()[0]).getAcceptQueueSize()).isEqualTo(JettySettings.ACCEPT_QUEUE);
            assertThat(server.getContainedBeans(ConnectionLimit.class)).singleElement()
                    .extracting(ConnectionLimit::getMaxConnections).isEqualTo(JettySettings.MAX_CONNECTIONS);
            QueuedThreadPool pool = (QueuedThreadPool) server.getThreadPool();
            assertThat(pool.getMaxThreads()).as("platform threads: acceptor and selectors only").isEqualTo(JettySettings.IO_THREADS);
            assertThat(pool.getVirtualThreadsExecutor()).as("requests run on virtual threads").isNotNull();
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
