package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server's idle timeout (server.jetty.connection-idle-timeout, 30 s; 1 s here) ends a request
 * whose body stops arriving, with a 408 in the client's format, but never a request that is only
 * waiting for its upstream: a non-streamed answer can take minutes and the client's connection is
 * silent all that time.
 */
class IdleTimeoutTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IDLE_TIMEOUT = "server.jetty.connection-idle-timeout";

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
    void anUpstreamThatThinksLongerThanTheIdleTimeoutIsWaitedFor() {
        upstream.handler(request -> ChatScript.text("worth the wait").reply(request).delayFirstByte(Duration.ofMillis(2500)));
        HttpResponse<String> response = gateway.postJsonWithKey("/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("worth the wait");
    }
}
