package io.llmgw.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.bench.jmh.InProcessGateway;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event-loop calibration target relays what the bench measures through it: a whole answer and
 * a stream arrive as the upstream sent them, the request reaches the upstream as the client sent
 * it, and a client's requests in sequence share their upstream connection (as nginx's keep-alive and
 * the gateway's pool would), so the proxy's figures are those of a relay, not of new connections.
 */
class EventLoopProxyTest {
    private static final String BODY = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private final FakeUpstream upstream = FakeUpstream.start();
    private final ChatScript script = ChatScript.text("Hello! How can I help you today?").chunkSize(8).usage(20, 9);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stop() {
        upstream.close();
    }

    @Test
    void relaysWholeAnswersAndStreamsOverOneUpstreamConnectionPerClient() throws Exception {
        upstream.handler(script.handler());
        try (EventLoopProxyMain.Proxy proxy = EventLoopProxyMain.start(0, new InetSocketAddress("127.0.0.1", upstream.port()), null)) {
            URI uri = URI.create("http://127.0.0.1:" + proxy.port() + "/v1/chat/completions");
            HttpResponse<String> whole = client.send(post(uri, BODY), HttpResponse.BodyHandlers.ofString());
            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(whole.body()).isEqualTo(script.completion());
            assertThat(upstream.lastRequest().bodyText()).isEqualTo(BODY);
            assertThat(upstream.lastRequest().header("authorization")).isEqualTo("Bearer sk-bench-0000");

            String streamBody = BODY.replace("{\"model\"", "{\"stream\":true,\"model\"");
            HttpResponse<java.util.stream.Stream<String>> stream = client.send(post(uri, streamBody), HttpResponse.BodyHandlers.ofLines());
            assertThat(stream.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
            List<String> events = stream.body().filter(line -> line.startsWith("data: ")).map(line -> line.substring(6))
                    .collect(Collectors.toList());
            assertThat(events).containsExactlyElementsOf(script.chunks(false));
            assertThat(events).last().isEqualTo("[DONE]");

            for (int i = 0; i < 3; i++) {
                assertThat(client.send(post(uri, BODY), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            }
            assertThat(upstream.requests()).hasSize(5);
            // the JDK client keeps its connection for requests in sequence (it may open a second one when it
            // looks for it before the last answer has given it back), and the proxy one upstream connection per client's
            assertThat(upstream.connectionsAccepted()).as("upstream connections kept for the next request").isLessThanOrEqualTo(2);
        }
    }

    @Test
    void theLoadBenchmarkMeasuresItAsTheRelayAndSaysWhatItIs(@TempDir Path dir) throws Exception {
        upstream.handler(script.handler());
        try (FakeUpstream gateway = FakeUpstream.start().handler(script.handler());
             EventLoopProxyMain.Proxy proxy = EventLoopProxyMain.start(0, new InetSocketAddress("127.0.0.1", upstream.port()), null)) {
            Path report = dir.resolve("report.md");
            PrintStream out = System.out;
            PrintStream err = System.err;
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            try {
                assertThat(LoadBenchmark.execute(new String[] {"--direct-url", upstream.baseUrl() + "/v1/chat/completions",
                        "--gateway-url", gateway.baseUrl() + "/v1/chat/completions",
                        "--relay-url", "http://127.0.0.1:" + proxy.port() + "/v1/chat/completions", "--relay-kind", "event-loop",
                        "--rate", "100", "--duration", "200ms", "--slice", "50ms", "--warmup", "0", "--mode", "both",
                        "--out", report.toString()})).isEqualTo(LoadBenchmark.OK);
            } finally {
                System.setOut(out);
                System.setErr(err);
            }
            String markdown = Files.readString(report);
            assertThat(markdown).contains("an HTTP proxy on Netty event loops (EventLoopProxyMain)")
                    .contains("| event-loop proxy added p50 / p99 |").doesNotContain("TCP relay");
            // 100 req/s for 200 ms per target and mode, and the relay's requests reached the upstream through it
            assertThat(upstream.requests().size()).isGreaterThanOrEqualTo(2 * 2 * 20);
        }
    }

    @Test
    void withTheGatewaysWorkEachRequestIsServedInProcessBeforeItIsForwarded() throws Exception {
        upstream.handler(script.handler());
        try (InProcessGateway work = new InProcessGateway();
             EventLoopProxyMain.Proxy proxy = EventLoopProxyMain.start(0, new InetSocketAddress("127.0.0.1", upstream.port()), work)) {
            URI uri = URI.create("http://127.0.0.1:" + proxy.port() + "/v1/chat/completions");
            HttpResponse<String> answer = client.send(post(uri, BODY), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo(script.completion());
            // a stream is served in-process as a stream (the constant upstream streams when asked), then relayed
            HttpResponse<String> stream = client.send(post(uri, BODY.replace("{\"model\"", "{\"stream\":true,\"model\"")),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.body()).contains("data: [DONE]");
            assertThat(upstream.requests()).hasSize(2);
            // a body the gateway refuses (no model) is refused by the proxy too, and never forwarded
            HttpResponse<String> refused = client.send(post(uri, "{\"messages\":[]}"), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(502);
            assertThat(upstream.requests()).hasSize(2);
            // what is not a POST (the benchmarks' readiness probe) is only relayed
            client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/health")).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(upstream.requests()).hasSize(3);
            assertThat(upstream.lastRequest().path()).isEqualTo("/health");
        }
    }

    private static HttpRequest post(URI uri, String body) {
        return HttpRequest.newBuilder(uri).header("content-type", "application/json").header("authorization", "Bearer sk-bench-0000")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
