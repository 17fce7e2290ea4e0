package io.llmgw.lambda.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.lambda.testing.Events;

import io.llmgw.lambda.testing.FakeRuntimeApi.Chunk;
import io.llmgw.lambda.testing.FakeRuntimeApi.Posted;
import io.llmgw.lambda.testing.LoopHarness;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.Reply;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real runtime loop end to end against the fake Runtime API: the exact bytes of a streamed
 * response (head, prelude, 8 NULs, one chunk per SSE event, trailers on failure), streaming while
 * the upstream is still producing, and the invocation-error path.
 */
class StreamingLoopTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    private LoopHarness harness;

    @BeforeEach
    void start() throws Exception {
        harness = new LoopHarness().start();
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
    }

    @Test
    void streamsEachSseEventAsItsOwnChunkWhileTheUpstreamIsStillProducing() throws Exception {
        // naming the model the event asks for, so the chunks relayed are the upstream's own bytes
        List<String> events = ChatScript.text("Hello there, streaming from Lambda.").model("gpt-4o").chunkSize(6).chunks(true);
        harness.upstream.enqueue(Reply.sse(events).eventDelay(Duration.ofMillis(150)));
        AtomicLong upstreamBytesAtFirstEvent = new AtomicLong(-1);
        List<Chunk> seen = new ArrayList<>();
        harness.runtime.onChunk(chunk -> {
            seen.add(chunk);
            if (seen.size() == 3) {  // prelude, NULs, then the first body chunk
                upstreamBytesAtFirstEvent.set(harness.upstream.bytesWritten());
            }
        });

        harness.runtime.enqueue("req-stream", Events.bytes("function-url-chat-completions-stream.json"));
        Posted post = harness.runtime.awaitPost("response:req-stream", WAIT);

        assertThat(post.requestLine()).isEqualTo("POST /2018-06-01/runtime/invocation/req-stream/response HTTP/1.1");
        assertThat(post.headerLines()).containsExactly(
                "Host: " + harness.runtime.address(),
                "Lambda-Runtime-Function-Response-Mode: streaming",
                "Transfer-Encoding: chunked",
                "Content-Type: application/vnd.awslambda.http-integration-response",
                "Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body",
                "Connection: close");

        List<Chunk> chunks = post.chunks();
        byte[] prelude = chunks.get(0).data();
        assertThat(prelude).doesNotContain((byte) 0);
        JsonNode meta = JSON.readTree(prelude);
        assertThat(fieldNames(meta)).containsExactly("statusCode", "headers", "cookies");
        assertThat(meta.path("statusCode").asInt()).isEqualTo(200);
        assertThat(meta.path("headers").path("content-type").asText()).isEqualTo("text/event-stream; charset=utf-8");
        assertThat(meta.path("headers").path("x-request-id").asText()).isEqualTo("req-stream");
        assertThat(meta.path("headers").has("content-length")).isFalse();
        assertThat(meta.path("cookies").isArray()).isTrue();
        assertThat(chunks.get(1).data()).isEqualTo(new byte[8]);

        List<Chunk> body = chunks.subList(2, chunks.size());
        List<String> expectedFrames = Reply.sse(events).frames();
        assertThat(body).extracting(Chunk::text).containsExactlyElementsOf(expectedFrames);  // one chunk per event, bytes as sent upstream

        assertThat(post.rawBody()).isEqualTo(framed(chunks, "0\r\n\r\n"));
        assertThat(post.trailers()).isEmpty();

        // Streaming, not buffering: the first event reached Lambda while the upstream was still writing,
        // and the events arrived spread over the upstream's pacing.
        assertThat(upstreamBytesAtFirstEvent.get()).isPositive().isLessThan(harness.upstream.bytesWritten());
        long spreadMillis = (body.get(body.size() - 1).arrivedNanos() - body.get(0).arrivedNanos()) / 1_000_000;
        // (a buffered relay would deliver them all at once; the margin absorbs a slow first event on a busy machine)
        assertThat(spreadMillis).isGreaterThanOrEqualTo(100L * (events.size() - 2));
    }

    @Test
    void nonStreamingRoutesAnswerWithPreludeAndBody() throws Exception {
        harness.upstream.handler(ChatScript.text("Hello.").handler());
        harness.runtime.enqueue("req-chat", Events.bytes("function-url-chat-completions.json"));
        harness.runtime.enqueue("req-models", Events.bytes("function-url-models.json"));
        harness.runtime.enqueue("req-health", Events.bytes("function-url-health.json"));

        Posted chat = harness.runtime.awaitPost("response:req-chat", WAIT);
        assertThat(status(chat)).isEqualTo(200);
        assertThat(JSON.readTree(body(chat)).path("choices").path(0).path("message").path("content").asText()).isEqualTo("Hello.");
        assertThat(harness.upstream.lastRequest().header("authorization")).isEqualTo("Bearer sk-upstream-test-key-00000000000000");

        Posted models = harness.runtime.awaitPost("response:req-models", WAIT);
        assertThat(status(models)).isEqualTo(200);
        assertThat(JSON.readTree(body(models)).path("object").asText()).isEqualTo("list");

        Posted health = harness.runtime.awaitPost("response:req-health", WAIT);
        assertThat(status(health)).isEqualTo(200);
        assertThat(prelude(health).path("headers").path("content-type").asText()).startsWith("application/json");
        for (Posted post : List.of(chat, models, health)) {
            assertThat(post.chunks().get(1).data()).isEqualTo(new byte[8]);
            assertThat(post.rawBody()).isEqualTo(framed(post.chunks(), "0\r\n\r\n"));
        }
    }

    @Test
    void messagesAndResponsesEventsAreServedAsRequests() throws Exception {
        harness.upstream.handler(ChatScript.text("Hello from the model.").handler());
        harness.runtime.enqueue("req-msg", Events.bytes("function-url-messages-stream.json"));
        harness.runtime.enqueue("req-msg2", Events.bytes("function-url-messages.json"));
        harness.runtime.enqueue("req-resp", Events.bytes("function-url-responses.json"));
        Posted streamed = harness.runtime.awaitPost("response:req-msg", WAIT);
        assertThat(status(streamed)).isEqualTo(200);
        assertThat(body(streamed)).startsWith("event: message_start\n").contains("event: content_block_delta\n")
                .endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        Posted message = harness.runtime.awaitPost("response:req-msg2", WAIT);
        assertThat(status(message)).isEqualTo(200);
        assertThat(JSON.readTree(body(message)).path("type").asText()).isEqualTo("message");
        Posted responses = harness.runtime.awaitPost("response:req-resp", WAIT);
        assertThat(status(responses)).isEqualTo(200);
        assertThat(body(responses)).contains("event: response.completed\n");
    }

    @Test
    void midStreamFailureEndsWithAnErrorEventAndTheErrorTrailers() throws Exception {
        List<String> events = ChatScript.text("This stream will be cut off in the middle.").model("gpt-4o").chunkSize(5).chunks(false);
        harness.upstream.enqueue(Reply.sse(events).resetAfterEvents(3));
        harness.runtime.enqueue("req-cut", Events.bytes("function-url-chat-completions-stream.json"));
        Posted post = harness.runtime.awaitPost("response:req-cut", WAIT);

        assertThat(status(post)).isEqualTo(200);
        List<Chunk> body = post.chunks().subList(2, post.chunks().size());
        assertThat(body.subList(0, 3)).extracting(Chunk::text).containsExactlyElementsOf(Reply.sse(events).frames().subList(0, 3));
        String last = body.get(body.size() - 1).text();
        assertThat(last).startsWith("data: {\"error\":").endsWith("\n\n");
        assertThat(post.bodyText()).doesNotContain("[DONE]");

        assertThat(post.trailers()).containsOnlyKeys("Lambda-Runtime-Function-Error-Type", "Lambda-Runtime-Function-Error-Body");
        assertThat(post.trailers().get("Lambda-Runtime-Function-Error-Type")).isEqualTo("Gateway.StreamError");
        JsonNode error = JSON.readTree(Base64.getDecoder().decode(post.trailers().get("Lambda-Runtime-Function-Error-Body")));
        assertThat(error.path("errorType").asText()).isEqualTo("Gateway.StreamError");
        assertThat(error.path("errorMessage").asText()).isNotBlank();
        assertThat(error.path("trace").isArray()).isTrue();
        String ending = "0\r\nLambda-Runtime-Function-Error-Type: Gateway.StreamError\r\n"
                + "Lambda-Runtime-Function-Error-Body: " + post.trailers().get("Lambda-Runtime-Function-Error-Body") + "\r\n\r\n";
        assertThat(post.rawBody()).isEqualTo(framed(post.chunks(), ending));
    }

    @Test
    void aNonHttpEventIsAnInvocationErrorAndTheLoopGoesOn() throws Exception {
        harness.runtime.enqueue("req-odd", "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8));
        harness.runtime.enqueue("req-after", Events.bytes("function-url-health.json"));

        Posted error = harness.runtime.awaitPost("error:req-odd", WAIT);
        assertThat(error.requestLine()).isEqualTo("POST /2018-06-01/runtime/invocation/req-odd/error HTTP/1.1");
        assertThat(error.header("Lambda-Runtime-Function-Error-Type")).isEqualTo("Gateway.UnsupportedEvent");
        JsonNode report = JSON.readTree(error.bodyText());
        assertThat(fieldNames(report)).containsExactly("errorMessage", "errorType", "stackTrace");
        assertThat(report.path("errorMessage").asText()).contains("requestContext.http.method");

        assertThat(status(harness.runtime.awaitPost("response:req-after", WAIT))).isEqualTo(200);
    }

    @Test
    void anEventWhoseBodyIsNotBase64IsA400InTheClientsDialectAndTheLoopGoesOn() throws Exception {
        harness.upstream.handler(ChatScript.text("Hello.").handler());
        harness.runtime.enqueue("req-bad-chat", notBase64(Events.bytes("function-url-chat-completions.json")));
        harness.runtime.enqueue("req-bad-messages", notBase64(Events.bytes("function-url-messages.json")));
        harness.runtime.enqueue("req-after", Events.bytes("function-url-chat-completions.json"));

        // Answered as responses, not invocation errors (before the fix the loop exited on the first one)
        Posted chat = harness.runtime.awaitPost("response:req-bad-chat", WAIT);
        assertThat(status(chat)).isEqualTo(400);
        JsonNode openAi = JSON.readTree(body(chat)).path("error");
        assertThat(openAi.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(openAi.path("message").asText()).contains("base64");
        Posted messages = harness.runtime.awaitPost("response:req-bad-messages", WAIT);
        assertThat(status(messages)).isEqualTo(400);
        assertThat(JSON.readTree(body(messages)).path("type").asText()).isEqualTo("error");  // Anthropic's envelope on /v1/messages

        assertThat(status(harness.runtime.awaitPost("response:req-after", WAIT))).isEqualTo(200);
        assertThat(harness.upstream.requests()).as("only the good event went upstream").hasSize(1);
    }

    /** The event with its body replaced by text that is not base64, flagged as base64. */
    private static byte[] notBase64(byte[] event) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(event);
        root.put("body", "not base64!");
        root.put("isBase64Encoded", true);
        return JSON.writeValueAsBytes(root);
    }

    @Test
    void theInvocationDeadlineBoundsTheUpstreamCall() throws Exception {
        harness.upstream.enqueue(Reply.sse(ChatScript.text("late").chunks(false)).delayFirstByte(Duration.ofSeconds(8)));
        long start = System.nanoTime();
        harness.runtime.enqueue("req-late", Events.bytes("function-url-chat-completions-stream.json"),
                java.util.Map.of("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 2000)));
        Posted post = harness.runtime.awaitPost("response:req-late", WAIT);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(status(post)).isEqualTo(504);
        assertThat(tookMillis).isLessThan(4000);
    }

    @Test
    void theTraceHeaderIsPublishedForEachInvocation() throws Exception {
        harness.runtime.enqueue("req-trace", Events.bytes("function-url-health.json"),
                java.util.Map.of("Lambda-Runtime-Trace-Id", "Root=1-67890abc-0123456789abcdef01234567;Parent=1;Sampled=1"));
        harness.runtime.awaitPost("response:req-trace", WAIT);
        assertThat(System.getProperty("com.amazonaws.xray.traceHeader"))
                .isEqualTo("Root=1-67890abc-0123456789abcdef01234567;Parent=1;Sampled=1");
    }

    static int status(Posted post) throws Exception {
        return prelude(post).path("statusCode").asInt();
    }

    static JsonNode prelude(Posted post) throws Exception {
        return JSON.readTree(post.chunks().get(0).data());
    }

    static String body(Posted post) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        post.chunks().subList(2, post.chunks().size()).forEach(c -> out.writeBytes(c.data()));
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The chunked encoding of these chunks followed by {@code ending}: what must have been on the wire. */
    static byte[] framed(List<Chunk> chunks, String ending) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Chunk chunk : chunks) {
            out.writeBytes((Integer.toHexString(chunk.data().length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(chunk.data());
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(ending.getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

}
