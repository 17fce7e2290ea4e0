package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.testing.FakeUpstream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The container's HEALTHCHECK command, run as the image runs it: its own JVM, PORT from the environment. */
class HealthProbeTest {
    @Test
    void passesWhileTheGatewayIsLive() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start();
             TestGateway gateway = TestGateway.start(TestGateway.singleUpstream("openai", upstream.baseUrl()))) {
            Process probe = probe(gateway.port(), "/health/live");
            assertThat(probe.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(probe.exitValue()).isZero();
        }
    }

    @Test
    void failsWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process probe = probe(port, "/health/live");
        assertThat(probe.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(probe.exitValue()).isEqualTo(1);
        assertThat(new String(probe.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .startsWith("health probe: /health/live on port " + port + " failed");
    }

    @Test
    void failsOnANon200Answer() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start();
             TestGateway gateway = TestGateway.start(TestGateway.singleUpstream("openai", upstream.baseUrl()))) {
            Process probe = probe(gateway.port(), "/no-such-path");
            assertThat(probe.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(probe.exitValue()).isEqualTo(1);
            assertThat(new String(probe.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).contains("answered 404");
        }
    }

    private static Process probe(int port, String path) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), HealthProbe.class.getName(), path);
        builder.environment().put("PORT", Integer.toString(port));
        return builder.start();
    }
}
