package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real main(): a bad environment variable stops the process with one message naming it, and no
 * secret; so does having no upstream at all; and the README's quick start with the mock serves.
 */
class StartupValidationTest {
    private final List<Process> started = new ArrayList<>();

    /** A main() that did not stop as expected must not outlive the test (it would hold the default port). */
    @AfterEach
    void stopLeftovers() {
        started.forEach(Process::destroyForcibly);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "PORT|not-a-port",
            "PROXY_API_KEY|too-short-secret",
            "BACKEND_URL|http://backend.example.com/v1/chat/completions",
            "AZURE_OPENAI_ENDPOINT|ftp://resource.example.com",
            "REQUEST_TIMEOUT|soon",
            "SHUTDOWN_GRACE_PERIOD|soon",
            "SHUTDOWN_GRACE_PERIOD|-5s",
            "KEY_VAULT_URI|http://my-vault.vault.azure.net",
            "KEY_VAULT_SECRET_PREFIX|llm-gateway-"})
    void badEnvironmentVariableStopsTheStart(String variable, String value) throws Exception {
        Process process = startMain(Map.of(variable, value));
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(stderr).startsWith("Configuration error: " + variable).doesNotContain("Exception");
        assertThat(stdout).doesNotContain("Started GatewayApplication");
        if (variable.equals("PROXY_API_KEY")) {
            assertThat(stderr).doesNotContain(value);
        }
    }

    @Test
    void aVaultThatCannotBeReadStopsTheStartNamingIt() throws Exception {
        // A closed loopback port: the SDK's first request (before any token) fails, so no credential is ever asked for.
        Process process = startMain(Map.of("KEY_VAULT_URI", "https://localhost:1/", "KEY_VAULT_SECRET_PREFIX", "llm-gateway-"));
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(stderr).startsWith("Configuration error: KEY_VAULT_URI: could not list the secrets of https://localhost:1 (connection refused)")
                .doesNotContain("ConnectException");
        assertThat(stdout).as("no SDK debug output before Spring sets up logging").doesNotContain("DEBUG").doesNotContain("Started GatewayApplication");
    }

    @Test
    void noUpstreamStopsTheStartListingTheWaysToConfigureOne() throws Exception {
        Process process = startMain(Map.of(), "PROXY_API_KEY", "k".repeat(40));
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(stderr).startsWith("Configuration error: providers: none configured").doesNotContain("Exception")
                .contains("AZURE_OPENAI_ENDPOINT", "BACKEND_URL", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY",
                        "GATEWAY_MOCK=1", "GATEWAY_CONFIG");
        assertThat(stderr.lines()).hasSize(1);
        assertThat(stdout).doesNotContain("Started GatewayApplication");
    }

    /** The README's quick start: the mock alone, a gateway key, the JVM flag every documented launch uses. */
    @Test
    void theQuickStartWithTheMockAnswersAChatClient() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String key = "k".repeat(40);
        Process process = startMain(Map.of(), "GATEWAY_MOCK", "1", "PROXY_API_KEY", key, "PORT", Integer.toString(port));
        try {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                    .header("authorization", "Bearer " + key).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"any-name\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .build();
            HttpResponse<String> response = null;
            for (int attempt = 0; attempt < 600 && response == null && process.isAlive(); attempt++) {
                try {
                    response = http.send(request, HttpResponse.BodyHandlers.ofString());
                } catch (ConnectException notYetListening) {
                    Thread.sleep(100);
                }
            }
            assertThat(response).as("the gateway started and answered").isNotNull();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).contains("\"content\":\"You said: hi\"", "\"model\":\"any-name\"");
        } finally {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Process startMain(Map<String, String> env) throws IOException {
        return startMain(env, "AZURE_OPENAI_ENDPOINT", "https://resource.openai.azure.com", "AZURE_OPENAI_MODEL", "gpt-4o",
                "PROXY_API_KEY", "k".repeat(40));
    }

    /** The real main in a fresh JVM, with none of this machine's upstream variables, {@code base} then {@code env}. */
    private Process startMain(Map<String, String> env, String... base) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                GatewayApplication.class.getName());
        builder.environment().keySet().removeIf(k -> k.startsWith("AZURE_") || k.startsWith("OPENAI_") || k.startsWith("PROXY_")
                || k.startsWith("ANTHROPIC_") || k.startsWith("GEMINI_") || k.startsWith("GATEWAY_") || k.startsWith("KEY_VAULT_")
                || k.equals("BACKEND_URL") || k.endsWith("PORT"));
        for (int i = 0; i + 1 < base.length; i += 2) {
            builder.environment().put(base[i], base[i + 1]);
        }
        builder.environment().putAll(env);
        Process process = builder.start();
        started.add(process);
        return process;
    }
}
