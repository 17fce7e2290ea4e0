package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The real main(): a bad environment variable stops the process with one message naming it, and no secret. */
class StartupValidationTest {
    private final java.util.List<Process> started = new java.util.ArrayList<>();

    /** A main() that did not stop as expected must not outlive the test (it would hold the default port). */
    @org.junit.jupiter.api.AfterEach
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

    @org.junit.jupiter.api.Test
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

    private Process startMain(Map<String, String> env) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), GatewayApplication.class.getName());
        builder.environment().keySet().removeIf(k -> k.startsWith("AZURE_") || k.startsWith("OPENAI_") || k.startsWith("PROXY_")
                || k.startsWith("KEY_VAULT_")
                || k.equals("BACKEND_URL") || k.equals("GATEWAY_CONFIG") || k.endsWith("PORT"));
        builder.environment().put("AZURE_OPENAI_ENDPOINT", "https://resource.openai.azure.com");
        builder.environment().put("AZURE_OPENAI_MODEL", "gpt-4o");
        builder.environment().put("PROXY_API_KEY", "k".repeat(40));
        builder.environment().putAll(env);
        Process process = builder.start();
        started.add(process);
        return process;
    }
}
