package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.RealClientFixtures;
import io.llmgw.testing.RealClientFixtures.FixtureRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * What is left out by design is said once at start-up, not as a warning per request: a Codex request
 * (hosted tools web_search and tool_search, which no chat upstream runs) logs no WARN line, and its
 * request line names the model the upstream answered with.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogNoiseTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LIMITS = "translated routes leave out what their upstream has no equivalent for";

    @Test
    void droppedHostedToolsAreOneStartUpLineNotAWarningPerRequest(CapturedOutput output) throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start();
             TestGateway gateway = TestGateway.inFrontOf(upstream.baseUrl())) {
            upstream.handler(ChatScript.text("Done.").model("gpt-5.5-2026-01-01").handler());
            FixtureRequest codex = RealClientFixtures.load("codex-cli-plain").stream().filter(r -> r.body() != null).findFirst().orElseThrow();
            assertThat(codex.body().toString()).contains("\"web_search\"");

            for (int i = 0; i < 2; i++) {
                List<String> headers = new ArrayList<>();
                codex.headersWithKey(TestGateway.GATEWAY_KEY).forEach((k, v) -> {
                    headers.add(k);
                    headers.add(v);
                });
                headers.add("x-request-id");
                headers.add("codex-noise-" + i);
                HttpResponse<String> response = gateway.send("POST", codex.target(), JSON.writeValueAsString(codex.body()),
                        headers.toArray(String[]::new));
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            }

            String requestLine = awaitLine(output, l -> l.contains("codex-noise-1") && l.contains("\"request\""));
            assertThat(requestLine).contains("\"upstream_model\":\"gpt-5.5-2026-01-01\"").contains("\"upstream\":\"up/*\"");  // the configured label: a glob route never puts client names in labels
            assertThat(output.getAll().lines().filter(l -> l.contains(LIMITS))).hasSize(1)
                    .allSatisfy(l -> assertThat(l).contains("\"INFO\"").contains("Responses clients of [*] lose hosted tools"));
            assertThat(output.getAll().lines().filter(l -> l.contains("\"WARN\"") || l.contains("\"ERROR\""))).isEmpty();
            assertThat(output.getAll()).doesNotContain("chat-completions upstream");
        }
    }

    /** The request log is written asynchronously: wait for the line. */
    static String awaitLine(CapturedOutput output, Predicate<String> wanted) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            var line = output.getAll().lines().filter(wanted).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no such log line in:\n" + output.getAll());
    }
}
