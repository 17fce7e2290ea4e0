package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.testing.Heap;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a hostile or careless caller can send the running app over raw HTTP: bodies it never
 * finishes, bodies over the limit, bytes HTTP does not allow, connections it abandons. Every one
 * gets a bounded cost and an answer in the client's JSON error format.
 */
class HostileInputTest extends OneChatUpstreamGateway {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = TestGateway.GATEWAY_KEY;


    private static String head(String method, String path, String... extraHeaders) {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String header : extraHeaders) {
            head.append(header).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    /** Over the 10 MB limit: a chat completion announcing {@code contentLength} bytes, of which 11 MB are sent. */
    private static final int OVERSIZED_PART = 11 * 1024 * 1024;

    private static String postElevenMegabytes(RawHttp raw, long contentLength) throws java.io.IOException {
        byte[] part = new byte[OVERSIZED_PART];
        java.util.Arrays.fill(part, (byte) 'x');
        raw.send(head("POST", "/v1/chat/completions", "Content-Type: application/json", "Authorization: Bearer " + KEY,
                "Content-Length: " + contentLength));
        raw.send(part);
        return raw.readResponse();
    }

    @Test
    void unauthenticatedSlowBodiesHoldNoMemoryAndAreRefusedAtOnce() throws Exception {
        try (RawHttp warmUp = new RawHttp(gateway.port())) {  // classes loaded and pools filled before measuring
            warmUp.send(head("POST", "/v1/chat/completions", "Content-Type: application/json", "Content-Length: 10485760") + "{");
            assertThat(RawHttp.status(warmUp.readUntil("}}"))).isEqualTo(401);
        }
        long before = Heap.usedAfterGc();
        List<RawHttp> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                RawHttp raw = new RawHttp(gateway.port());
                sockets.add(raw);
                // A 10 MB body is announced, a few bytes sent, the rest never: the gateway must not wait for it or size a buffer from it.
                raw.send(head("POST", "/v1/chat/completions", "Content-Type: application/json", "Content-Length: 10485760")
                        + "{\"model\":");
            }
            for (RawHttp raw : sockets) {
                String response = raw.readUntil("}}");
                assertThat(RawHttp.status(response)).isEqualTo(401);
                assertThat(response).contains("\"type\":\"invalid_request_error\"");
            }
            // The rest of an unauthenticated body is not waited for: each connection is closed within a short grace period.
            for (RawHttp raw : sockets) {
                assertThat(raw.in.read()).as("connection closed by the gateway").isEqualTo(-1);
            }
            long perConnection = (Heap.usedAfterGc() - before) / sockets.size();
            assertThat(perConnection).as("heap held per slow connection after GC").isLessThan(64 * 1024);
        } finally {
            for (RawHttp raw : sockets) {
                raw.close();
            }
        }
    }

    @Test
    void aClientThatSendsItsWholeOversizedBodyBeforeReadingStillReadsThe413() throws Exception {
        try (RawHttp raw = new RawHttp(gateway.port())) {
            // all of it first, as Python's urllib and many libraries do, and only then read
            String response = postElevenMegabytes(raw, OVERSIZED_PART);
            assertThat(RawHttp.status(response)).isEqualTo(413);
            assertThat(JSON.readTree(RawHttp.body(response)).path("error").path("type").asText()).isEqualTo("invalid_request_error");
        }
    }

    @Test
    void anOversizedBodyThatNeverEndsIsCutOffAfterTheDiscardGrace() throws Exception {
        try (RawHttp raw = new RawHttp(gateway.port())) {
            // 64 MB announced, 11 MB sent, then nothing: the 413 comes, and the rest is not waited for beyond the grace
            String response = postElevenMegabytes(raw, 64 * 1024 * 1024);
            assertThat(RawHttp.status(response)).isEqualTo(413);
            long waiting = System.nanoTime();
            assertThat(raw.in.read()).as("connection closed by the gateway").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - waiting))
                    .isLessThan(Duration.ofMillis(BodyDrain.REFUSED_BODY_MILLIS + 5_000));
        }
    }

    @Test
    void malformedPercentEncodingIsA400InTheClientsFormat() throws Exception {
        for (String path : List.of("/v1/chat/completions?x=%zz", "/v1/%zz", "/openai/deployments/a%zzb/chat/completions",
                "/v1/chat%2Fcompletions", "/v1/%2e%2e/chat/completions")) {  // the last two: ambiguous to the server, refused by it
            try (RawHttp raw = new RawHttp(gateway.port())) {
                String request = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
                raw.send(head("POST", path, "Content-Type: application/json", "Authorization: Bearer " + KEY,
                        "Content-Length: " + request.length()) + request);
                String response = raw.readResponse();
                assertThat(RawHttp.status(response)).as(path).isEqualTo(400);
                assertThat(JSON.readTree(RawHttp.body(response)).path("error").has("message")).as(path).isTrue();
            }
        }
    }

    @Test
    void headerBytesOutsideAsciiInForwardedHeadersAreA400NotA500() throws Exception {
        String request = "{\"model\":\"claude-x\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        byte[] head = head("POST", "/v1/messages", "Content-Type: application/json", "x-api-key: " + KEY,
                "anthropic-version: 2023-06-01", "anthropic-beta: caf\u00e9-2025", "Content-Length: " + request.length())
                .getBytes(StandardCharsets.UTF_8);
        try (RawHttp raw = new RawHttp(gateway.port())) {
            raw.send(head).send(request);
            String response = raw.readResponse();
            assertThat(RawHttp.status(response)).isEqualTo(400);
            JsonNode error = JSON.readTree(RawHttp.body(response));
            assertThat(error.path("type").asText()).isEqualTo("error");  // Anthropic's own format on /v1/messages
            assertThat(error.path("error").path("message").asText()).contains("anthropic-beta");
        }
    }

    @Test
    void headersUpToTheLimitAreServedThoughLargerThanTheServersReadBuffer() throws Exception {
        // Entra ID tokens with many groups run to ~11 KB; the server reads in 8 KB pieces
        try (RawHttp raw = new RawHttp(gateway.port())) {
            raw.send(head("GET", "/v1/models", "Authorization: Bearer " + KEY, "x-filler: " + "a".repeat(14 * 1024)));
            String response = raw.readResponse();
            assertThat(RawHttp.status(response)).isEqualTo(200);
            assertThat(JSON.readTree(RawHttp.body(response)).path("data").isArray()).isTrue();
        }
    }

    @Test
    void thousandsOfSmallHeadersAreServed() throws Exception {
        // ~2,000 lines within the 16 KB bound, names repeated and distinct: every header lookup scans them all
        List<String> lines = new ArrayList<>(List.of("Content-Type: application/json", "Authorization: Bearer " + KEY));
        for (int i = 0; i < 2_000; i++) {
            lines.add(i % 2 == 0 ? "X:" + (i % 10) : "Y" + i + ":1");
        }
        String chat = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        lines.add("Content-Length: " + chat.length());
        try (RawHttp raw = new RawHttp(gateway.port())) {
            raw.send(head("POST", "/v1/chat/completions", lines.toArray(String[]::new)) + chat);
            String response = raw.readResponse();
            assertThat(RawHttp.status(response)).as(response).isEqualTo(200);
            assertThat(JSON.readTree(RawHttp.body(response)).path("choices").isArray()).isTrue();
        }
    }

    @Test
    void errorsTheServerAnswersItselfComeAsTheGatewaysJson() throws Exception {
        try (RawHttp raw = new RawHttp(gateway.port())) {
            // over server.max-http-request-header-size (16 KB): refused before the gateway sees it
            raw.send(head("GET", "/v1/models", "Authorization: Bearer " + KEY, "x-filler: " + "a".repeat(20 * 1024)));
            String response = raw.readResponse();
            assertThat(RawHttp.status(response)).isBetween(400, 431);
            assertThat(response.toLowerCase()).contains("content-type: application/json").doesNotContain("<html");
            assertThat(JSON.readTree(RawHttp.body(response)).path("error").has("message")).isTrue();
        }
        try (RawHttp raw = new RawHttp(gateway.port())) {
            raw.send("GET /v1/models HTTP/1.1\r\nHost: x\r\nbad header: x\r\n\r\n");  // a header name HTTP does not allow
            String response = raw.readResponse();
            assertThat(RawHttp.status(response)).isEqualTo(400);
            assertThat(response).doesNotContain("<html").contains("\"error\"");
        }
    }

    @Test
    void pathsAServletContainerWouldProtectServeNothing() throws Exception {
        for (String path : List.of("/WEB-INF/web.xml", "/META-INF/MANIFEST.MF", "/meta-inf/", "//WEB-INF/classes/application.properties")) {
            try (RawHttp raw = new RawHttp(gateway.port())) {
                raw.send(head("GET", path, "Authorization: Bearer " + KEY));
                String response = raw.readResponse();
                assertThat(RawHttp.status(response)).as(path).isIn(400, 404);
                assertThat(response).as(path).contains("\"error\"").doesNotContain("Manifest-Version").doesNotContain("spring.");
            }
        }
    }

    @Test
    void aClientThatGoesAwayCancelsItsNonStreamedUpstreamCall() throws Exception {
        try (FakeUpstream slow = FakeUpstream.start();
             TestGateway slowGateway = TestGateway.start(TestGateway.singleUpstream("openai", slow.baseUrl()).replace("timeout: 5s", "timeout: 60s"))) {
            slow.handler(request -> ChatScript.text("too late").reply(request).delayFirstByte(Duration.ofSeconds(30)));
            String request = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            RawHttp raw = new RawHttp(slowGateway.port());
            raw.send(head("POST", "/v1/chat/completions", "Content-Type: application/json", "Authorization: Bearer " + KEY,
                    "Content-Length: " + request.length()) + request);
            for (int i = 0; i < 200 && slow.requests().isEmpty(); i++) {
                Thread.sleep(25);
            }
            assertThat(slow.requests()).hasSize(1);
            raw.close();  // the client gives up while the upstream is still thinking
            for (int i = 0; i < 400 && slow.abandonedBeforeReply() == 0; i++) {
                Thread.sleep(25);
            }
            assertThat(slow.abandonedBeforeReply()).as("upstream calls the gateway cancelled").isEqualTo(1);
        }
    }
}
