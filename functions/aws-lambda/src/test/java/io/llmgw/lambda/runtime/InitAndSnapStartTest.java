package io.llmgw.lambda.runtime;

import static io.llmgw.lambda.runtime.StreamingLoopTest.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.core.model.Ids;
import io.llmgw.lambda.testing.Events;
import io.llmgw.lambda.testing.FakeRuntimeApi.Posted;
import io.llmgw.lambda.testing.FakeSecretsManager;
import io.llmgw.lambda.testing.LoopHarness;
import io.llmgw.testing.ChatScript;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Init failures on {@code /init/error}, the SnapStart cycle around {@code /restore/next}, and secret rotation. */
class InitAndSnapStartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SECRET_ID = "llm-gateway/prod";
    private static final String UPSTREAM_KEY = "sk-from-the-secret-0000000000000000";

    private LoopHarness harness;
    private FakeSecretsManager secrets;

    @BeforeEach
    void start() throws Exception {
        harness = new LoopHarness();
        secrets = FakeSecretsManager.start();
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
        secrets.close();
    }

    @Test
    void aBadConfigurationIsAnInitErrorAndTheProcessStops() throws Exception {
        harness.env.put("PROXY_API_KEY", "too-short");
        harness.start();
        Posted error = harness.runtime.awaitPost("init/error", WAIT);
        assertThat(error.requestLine()).isEqualTo("POST /2018-06-01/runtime/init/error HTTP/1.1");
        assertThat(error.header("Lambda-Runtime-Function-Error-Type")).isEqualTo("Gateway.ConfigurationError");
        JsonNode report = JSON.readTree(error.bodyText());
        assertThat(report.path("errorType").asText()).isEqualTo("Gateway.ConfigurationError");
        assertThat(report.path("errorMessage").asText()).contains("PROXY_API_KEY").doesNotContain("too-short");
        assertThat(harness.awaitExit(WAIT)).isEqualTo(RuntimeLoop.EXIT_INIT_FAILED);
        assertThat(harness.runtime.calls()).containsExactly("POST /runtime/init/error");
    }

    @Test
    void noUpstreamIsAnInitErrorListingTheWaysToConfigureOne() throws Exception {
        harness.env.remove("OPENAI_API_KEY");
        harness.env.remove("OPENAI_BASE_URL");
        harness.start();
        Posted error = harness.runtime.awaitPost("init/error", WAIT);
        assertThat(error.header("Lambda-Runtime-Function-Error-Type")).isEqualTo("Gateway.ConfigurationError");
        assertThat(JSON.readTree(error.bodyText()).path("errorMessage").asText()).startsWith("providers: none configured")
                .contains("AZURE_OPENAI_ENDPOINT", "BACKEND_URL", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY",
                        "GATEWAY_MOCK=1", "GATEWAY_CONFIG");
        assertThat(harness.awaitExit(WAIT)).isEqualTo(RuntimeLoop.EXIT_INIT_FAILED);
        assertThat(harness.runtime.calls()).containsExactly("POST /runtime/init/error");
    }

    @Test
    void aMissingSecretIsAnInitErrorNamingIt() throws Exception {
        harness.env.put("GATEWAY_SECRET_ID", "does/not/exist");
        harness.start(secrets.factory());
        Posted error = harness.runtime.awaitPost("init/error", WAIT);
        assertThat(error.header("Lambda-Runtime-Function-Error-Type")).isEqualTo("Gateway.SecretError");
        assertThat(JSON.readTree(error.bodyText()).path("errorMessage").asText())
                .contains("GATEWAY_SECRET_ID", "'does/not/exist'", "does not exist");
        assertThat(harness.awaitExit(WAIT)).isEqualTo(RuntimeLoop.EXIT_INIT_FAILED);
    }

    @Test
    void snapStartPrimesBeforeTheSnapshotAndReadsTheSecretOnlyAfterRestore() throws Exception {
        secrets.put(SECRET_ID, "{\"PROXY_API_KEY\":\"" + Events.KEY + "\",\"OPENAI_API_KEY\":\"" + UPSTREAM_KEY + "\"}");
        harness.env.remove("PROXY_API_KEY");
        harness.env.remove("OPENAI_API_KEY");
        harness.env.put("GATEWAY_SECRET_ID", SECRET_ID);
        harness.env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
        harness.upstream.handler(ChatScript.text("restored").handler());
        Map<String, Integer> atRestore = new ConcurrentHashMap<>();
        harness.runtime.onCall(call -> {
            if (call.equals("GET /runtime/restore/next")) {
                atRestore.put("secretReads", secrets.calls());
                atRestore.put("upstreamRequests", harness.upstream.requests().size());
                while (Ids.leftInBlock() != 10) {
                    Ids.random("req_");  // ids drawn before the snapshot, as priming's are
                }
            } else if (call.equals("GET /runtime/invocation/next")) {
                atRestore.putIfAbsent("idsLeftAfterRestore", Ids.leftInBlock());
            }
        });
        harness.start(secrets.factory());
        harness.runtime.enqueue("req-1", Events.bytes("function-url-chat-completions.json"));
        Posted response = harness.runtime.awaitPost("response:req-1", WAIT);

        // Priming ran through the real path against its own loopback stub: no secret read and no real
        // upstream contacted before the snapshot, so neither is captured in it.
        assertThat(atRestore).containsEntry("secretReads", 0).containsEntry("upstreamRequests", 0);
        assertThat(harness.runtime.calls()).startsWith("GET /runtime/restore/next", "GET /runtime/invocation/next");
        assertThat(secrets.calls()).isEqualTo(1);
        assertThat(status(response)).isEqualTo(200);
        assertThat(harness.upstream.lastRequest().header("authorization")).isEqualTo("Bearer " + UPSTREAM_KEY);
        // the 10 ids left before the snapshot are not handed out after the restore: the next id draws afresh
        assertThat(atRestore).containsEntry("idsLeftAfterRestore", 0);
    }

    @Test
    void aFailingAfterRestoreHookIsReportedOnRestoreError() throws Exception {
        secrets.deny(SECRET_ID);
        harness.env.put("GATEWAY_SECRET_ID", SECRET_ID);
        harness.env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
        harness.start(secrets.factory());
        Posted error = harness.runtime.awaitPost("restore/error", WAIT);
        assertThat(error.header("Lambda-Runtime-Function-Error-Type")).isEqualTo("Runtime.AfterRestoreError");
        assertThat(JSON.readTree(error.bodyText()).path("errorMessage").asText()).contains("AccessDeniedException");
        assertThat(harness.awaitExit(WAIT)).isEqualTo(RuntimeLoop.EXIT_SNAPSTART_FAILED);
    }

    @Test
    void aRotatedGatewayKeyIsPickedUpAfterAnUnknownKeyAtMostOncePerMinute() throws Exception {
        String oldKey = Events.KEY;
        String newKey = "gw-rotated-key-abcdef0123456789abcdef012345";
        secrets.put(SECRET_ID, "{\"PROXY_API_KEY\":\"" + oldKey + "\"}");
        harness.env.remove("PROXY_API_KEY");
        harness.env.put("GATEWAY_SECRET_ID", SECRET_ID);
        harness.start(secrets.factory());
        byte[] withOld = Events.bytes("function-url-models.json");
        byte[] withNew = Events.text("function-url-models.json").replace(oldKey, newKey).getBytes(java.nio.charset.StandardCharsets.UTF_8);

        harness.runtime.enqueue("r1", withOld);
        assertThat(status(harness.runtime.awaitPost("response:r1", WAIT))).isEqualTo(200);
        assertThat(secrets.calls()).isEqualTo(1);

        secrets.put(SECRET_ID, "{\"PROXY_API_KEY\":\"" + newKey + "\"}");
        harness.runtime.enqueue("r2", withNew);  // unknown key, but the secret was read less than a minute ago
        assertThat(status(harness.runtime.awaitPost("response:r2", WAIT))).isEqualTo(401);
        harness.runtime.enqueue("r3", withNew);
        assertThat(status(harness.runtime.awaitPost("response:r3", WAIT))).isEqualTo(401);
        assertThat(secrets.calls()).isEqualTo(1);

        harness.runtime.awaitNextPoll(4, WAIT);  // the refresh attempt after r3 is over before the clock moves
        harness.clock.advance(Duration.ofSeconds(61));
        harness.runtime.enqueue("r4", withNew);  // unknown key: answered 401, then the secret is re-read
        assertThat(status(harness.runtime.awaitPost("response:r4", WAIT))).isEqualTo(401);
        harness.runtime.awaitNextPoll(5, WAIT);
        harness.runtime.enqueue("r5", withNew);
        assertThat(status(harness.runtime.awaitPost("response:r5", WAIT))).isEqualTo(200);
        assertThat(secrets.calls()).isEqualTo(2);
        harness.runtime.enqueue("r6", withOld);
        assertThat(status(harness.runtime.awaitPost("response:r6", WAIT))).isEqualTo(401);
    }
}
