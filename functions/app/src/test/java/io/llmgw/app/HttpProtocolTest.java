package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.1 as the server speaks it on a raw socket: keep-alive and pipelined requests answered in
 * order, each once the one before it is over (its metrics counted), HTTP/1.0 and {@code Connection: close}, HEAD, {@code 100 Continue} sent only once the gateway
 * wants the body, chunked request bodies, and what it refuses itself (a bad chunk, no Host, an HTTP
 * version or expectation it does not serve, a request line too long) as the gateway's JSON.
 */
class HttpProtocolTest extends OneChatUpstreamGateway {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = TestGateway.GATEWAY_KEY;
    private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";


    private static String chat(String... extraHeaders) {
        StringBuilder head = new StringBuilder("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer " + KEY + "\r\nContent-Length: " + CHAT.length() + "\r\n");
        for (String header : extraHeaders) {
            head.append(header).append("\r\n");
        }
        return head.append("\r\n").append(CHAT).toString();
    }

    private static String header(String response, String name) {
        for (String line : response.substring(0, response.indexOf("\r\n\r\n")).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }

    private static boolean closedByServer(RawHttp raw) throws IOException {
        raw.socket.setSoTimeout(5_000);
        return raw.in.read() == -1;
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws Exception {
        try (RawHttp raw = new RawHttp(gateway.port())) {
            raw.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n" + chat() + "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
            String first = raw.readResponse();
            String second = raw.readResponse();
            String third = raw.readResponse();
            assertThat(RawHttp.status(first)).isEqualTo(200);
            assertThat(RawHttp.status(second)).isEqualTo(200);
            assertThat(JSON.readTree(RawHttp.body(second)).at("/choices/0/message/content").asText()).isEqualTo("ok");
            assertThat(RawHttp.status(third)).isEqualTo(404);
            assertThat(header(first, "date")).as("every answer is dated").isNotBlank();

            raw.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");  // still open for more
            assertThat(RawHttp.status(raw.readResponse())).isEqualTo(200);
        }
    }

    @Test
    void theNextRequestOnAConnectionStartsOnceThePreviousOneIsOver() throws Exception {
        String scrape = "GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + KEY + "\r\n\r\n";
        try (RawHttp raw = new RawHttp(gateway.port())) {
            raw.send(scrape);
            long before = chatsCounted(RawHttp.body(raw.readResponse()));
            // the answer is written before the request's metrics are counted; the scrape behind it must see them
            raw.send(chat() + scrape);
            assertThat(RawHttp.status(raw.readResponse())).isEqualTo(200);
            assertThat(chatsCounted(RawHttp.body(raw.readResponse()))).isEqualTo(before + 1);
        }
    }

    private static long chatsCounted(String metrics) {
        return metrics.lines().filter(l -> l.startsWith("gateway_requests_total{dialect=\"openai-chat\",model=\"gpt-4o\",status=\"200\"}"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void connectionCloseAndHttp10EndTheConnectionAfterTheAnswer() throws Exception {
        try (RawHttp raw = new RawHttp(gateway.port())) {
            raw.send(chat("Connection: close"));
            String response = raw.readResponse();
            assertThat(RawHttp.status(response)).isEqualTo(200);
            assertThat(header(response, "connection")).isEqualTo("close");
            assertThat(closedByServer(raw)).isTrue();
        }
        try (RawHttp raw = new RawHttp(gateway.port())) {
            raw.send("GET /health/live HTTP/1.0\r\n\r\n");
            String response = raw.readResponse();
            assertThat(response).startsWith("HTTP/1.0 200");
            assertThat(closedByServer(raw)).isTrue();
        }
        try (RawHttp raw = new RawHttp(gateway.port())) {
            raw.send("GET /health/live HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            String response = raw.readResponse();
            assertThat(header(response, "connection")).isEqualTo("keep-alive");
            raw.send("GET /health/live HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertThat(RawHttp.status(raw.readResponse())).isEqualTo(200);
        }
    }

    @Test
    void aStreamToAnHttp10ClientEndsWithTheConnection() throws Exception {
        String stream = CHAT.replace("{\"model\"", "{\"stream\":true,\"model\"");
        try (RawHttp raw = new RawHttp(gateway.port())) {
            raw.send("POST /v1/chat/completions HTTP/1.0\r\nContent-Type: application/json\r\nAuthorization: Bearer " + KEY
                    + "\r\nContent-Length: " + stream.length() + "\r\n\r\n" + stream);
            String response = raw.readUntil("\u0000");  // all of it, up to the end of the connection
            assertThat(response).startsWith("HTTP/1.0 200").doesNotContain("ransfer-encoding").endsWith("data: [DONE]\n\n");
        }
    }

    @Test
    void headAnswersCarryNoBodyAndTheConnectionGoesOn() throws Exception {
        try (RawHttp raw = new RawHttp(gateway.port())) {
            raw.send("HEAD /health HTTP/1.1\r\nHost: x\r\n\r\nGET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
            String head = raw.readUntil("\r\n\r\n");
            assertThat(RawHttp.status(head)).isEqualTo(200);
            String next = raw.readResponse();
            assertThat(next).as("the HEAD answer's head is followed by the next answer, no body between").startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void continueIsSentOnlyWhenTheGatewayWantsTheBody() throws Exception {
        try (RawHttp raw = new RawHttp(gateway.port())) {
            raw.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer " + KEY
                    + "\r\nExpect: 100-continue\r\nContent-Length: " + CHAT.length() + "\r\n\r\n");
            assertThat(raw.readUntil("\r\n\r\n")).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
            raw.send(CHAT);
            String response = raw.readResponse();
            assertThat(RawHttp.status(response)).isEqualTo(200);
            assertThat(RawHttp.body(response)).contains("\"ok\"");
        }
        try (RawHttp raw = new RawHttp(gateway.port())) {
            // no key: refused before the body matters, so the client is never asked for it
            raw.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Expect: 100-continue\r\nContent-Length: " + CHAT.length() + "\r\n\r\n");
            String response = raw.readResponse();
            assertThat(RawHttp.status(response)).isEqualTo(401);
            assertThat(header(response, "connection")).as("the body it held back cannot be told from a next request").isEqualTo("close");
            assertThat(closedByServer(raw)).isTrue();
        }
        try (RawHttp raw = new RawHttp(gateway.port())) {
            // HTTP/1.0 has no expectations: the header is ignored, the body read as it comes
            raw.send("POST /v1/chat/completions HTTP/1.0\r\nContent-Type: application/json\r\nAuthorization: Bearer " + KEY
                    + "\r\nExpect: 100-continue\r\nContent-Length: " + CHAT.length() + "\r\n\r\n" + CHAT);
            String response = raw.readResponse();
            assertThat(response).startsWith("HTTP/1.0 200");
        }
    }

    @Test
    void aChunkedRequestBodyIsRead() throws Exception {
        try (RawHttp raw = new RawHttp(gateway.port())) {
            String first = CHAT.substring(0, 20);
            String rest = CHAT.substring(20);
            raw.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer " + KEY
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(first.length()) + "\r\n" + first + "\r\n"
                    + Integer.toHexString(rest.length()) + "\r\n" + rest + "\r\n0\r\n\r\n");
            String response = raw.readResponse();
            assertThat(RawHttp.status(response)).isEqualTo(200);
            assertThat(upstream.lastRequest().json().path("messages").path(0).path("content").asText()).isEqualTo("hi");
        }
    }

    @Test
    void aBadChunkIsA400InTheClientsFormat() throws Exception {
        try (RawHttp raw = new RawHttp(gateway.port())) {
            raw.send("POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nx-api-key: " + KEY
                    + "\r\nanthropic-version: 2023-06-01\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
            String response = raw.readResponse();
            assertThat(RawHttp.status(response)).isEqualTo(400);
            assertThat(JSON.readTree(RawHttp.body(response)).path("type").asText()).isEqualTo("error");  // Anthropic's format
            assertThat(closedByServer(raw)).isTrue();
        }
    }

    @Test
    void whatTheServerRefusesItselfIsJson() throws Exception {
        String[][] cases = {
                {"GET /v1/models HTTP/1.1\r\n\r\n", "400"},  // HTTP/1.1 without Host
                {"GET /v1/models HTTP/2.0\r\nHost: x\r\n\r\n", "505"},
                {"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nContent-Length: 2\r\n\r\n{}", "417"},
                {"GET /v1/" + "a".repeat(17 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n", "414"},
                {"GET /v1/models HTTP/1.1\r\nHost: x\r\nx-filler: " + "a".repeat(17 * 1024) + "\r\n\r\n", "431"},
                {"GET /v1/models HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", "400"},
                {"NOT-HTTP\r\n\r\n", "400"},
        };
        for (String[] request : cases) {
            try (RawHttp raw = new RawHttp(gateway.port())) {
                raw.send(request[0]);
                String response = raw.readResponse();
                assertThat(RawHttp.status(response)).as(request[1]).isEqualTo(Integer.parseInt(request[1]));
                assertThat(header(response, "content-type")).as(request[1]).startsWith("application/json");
                assertThat(JSON.readTree(RawHttp.body(response)).path("error").path("message").asText()).as(request[1]).isNotBlank();
                assertThat(closedByServer(raw)).as(request[1]).isTrue();
            }
        }
    }

    @Test
    void anIdleKeepAliveConnectionStaysOpenUntilTheIdleTimeout() throws Exception {
        try (RawHttp raw = new RawHttp(gateway.port())) {
            raw.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(RawHttp.status(raw.readResponse())).isEqualTo(200);
            raw.socket.setSoTimeout(1_000);
            try {
                raw.in.read();
                throw new AssertionError("the connection ended or sent bytes nobody asked for");
            } catch (SocketTimeoutException stillOpen) {
                // 30 s by default: well after this
            }
        }
    }
}
