package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.Reply;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server's idle timeout (server.netty.idle-timeout, 30 s; 1 s here) ends a request
 * whose body stops arriving, with a 408 in the client's format, but never a request that is only
 * waiting for its upstream: a non-streamed answer can take minutes and the client's connection is
 * silent all that time. A client that stops reading its stream for as long is cut, so its relay
 * does not wait on it for ever.
 */
class IdleTimeoutTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IDLE_TIMEOUT = "server.netty.idle-timeout";

    private static FakeUpstream upstream;
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        upstream = FakeUpstream.start();
        System.setProperty(IDLE_TIMEOUT, "1s");
        try {
            gateway = TestGateway.start(TestGateway.singleUpstream("openai", upstream.baseUrl()));
        } finally {
            System.clearProperty(IDLE_TIMEOUT);
        }
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void aBodyThatStopsArrivingIsA408InTheClientsFormat() throws Exception {
        int upstreamCalls = upstream.requests().size();
        try (RawHttp raw = new RawHttp(gateway.port())) {
            raw.send("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer " + TestGateway.GATEWAY_KEY + "\r\nContent-Length: 100\r\n\r\n{\"model\":");
            String response = raw.readResponse();
            assertThat(RawHttp.status(response)).isEqualTo(408);
            JsonNode error = JSON.readTree(RawHttp.body(response)).path("error");
            assertThat(error.path("code").asText()).isEqualTo("request_timeout");
            assertThat(upstream.requests()).as("nothing sent upstream").hasSize(upstreamCalls);
        }
    }

    @Test
    void aClientThatStopsReadingItsStreamIsCutAfterTheIdleTimeout() throws Exception {
        String chunk = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":\"" + "x".repeat(4000) + "\"},\"finish_reason\":null}]}";
        try (FakeUpstream endless = FakeUpstream.start()) {
            // an upstream that would go on for ever, and no upstream deadline near: only the idle timeout can end it
            endless.handler(request -> Reply.sse(() -> Stream.generate(() -> chunk).iterator()));
            System.setProperty(IDLE_TIMEOUT, "1s");
            TestGateway slowReader;
            try {
                slowReader = TestGateway.start(TestGateway.singleUpstream("openai", endless.baseUrl()).replace("timeout: 5s", "timeout: 120s"));
            } finally {
                System.clearProperty(IDLE_TIMEOUT);
            }
            try (slowReader; Socket client = new Socket("127.0.0.1", slowReader.port())) {
                client.setReceiveBufferSize(64 * 1024);
                String body = "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
                client.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Authorization: Bearer " + TestGateway.GATEWAY_KEY + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                        .getBytes(StandardCharsets.UTF_8));
                InputStream in = client.getInputStream();
                in.readNBytes(16 * 1024);
                long stalled = System.nanoTime();
                Thread.sleep(4_000);  // reads nothing: the server's writes wait, then the connection is cut
                client.setSoTimeout(30_000);
                byte[] buffer = new byte[64 * 1024];
                long read = 0;
                for (int n; (n = in.read(buffer)) >= 0 && read < 256L * 1024 * 1024; ) {
                    read += n;  // what was in flight when the cut came
                }
                assertThat(read).as("the stream was cut, not resumed when the client read again").isLessThan(256L * 1024 * 1024);
                assertThat(Duration.ofNanos(System.nanoTime() - stalled)).isLessThan(Duration.ofSeconds(60));
            }
        }
    }

    @Test
    void anUpstreamThatThinksLongerThanTheIdleTimeoutIsWaitedFor() {
        upstream.handler(request -> ChatScript.text("worth the wait").reply(request).delayFirstByte(Duration.ofMillis(2500)));
        HttpResponse<String> response = gateway.postJsonWithKey("/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("worth the wait");
    }
}
