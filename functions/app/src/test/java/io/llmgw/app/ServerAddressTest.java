package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgw.testing.FakeUpstream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.PortInUseException;

/**
 * Binding: every interface by default; {@code SERVER_ADDRESS} (Spring Boot's {@code server.address})
 * binds one. Checked on the loopback network alone: 127.0.0.2 reaches a server bound to every
 * interface, not one bound to 127.0.0.1.
 */
class ServerAddressTest {
    private static final int TIMEOUT_MS = 2000;

    @Test
    void byDefaultEveryInterfaceIsBound() {
        try (FakeUpstream upstream = FakeUpstream.start();
             TestGateway gateway = TestGateway.start(TestGateway.singleUpstream("openai", upstream.baseUrl()))) {
            assertThat(connects("127.0.0.2", gateway.port())).isTrue();
        }
    }

    @Test
    void aPortInUseStopsTheStartWithSpringBootsPortInUseFailure() {
        try (FakeUpstream upstream = FakeUpstream.start();
             TestGateway gateway = TestGateway.start(TestGateway.singleUpstream("openai", upstream.baseUrl()))) {
            ServerSettings running = gateway.server().settings();
            ServerSettings taken = new ServerSettings(gateway.port(), null, running.idleTimeout(), running.maxHeaderBytes(),
                    running.maxConnections());
            EventLoops loops = new EventLoops();
            GatewayServer second = new GatewayServer(gateway.live(), taken, loops);
            try {
                assertThatThrownBy(second::start).isInstanceOf(PortInUseException.class);
            } finally {
                second.close();
                loops.close();
            }
        }
    }

    @Test
    void serverAddressBindsOnlyThatAddress() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), GatewayApplication.class.getName());
        builder.environment().keySet().removeIf(k -> k.startsWith("AZURE_") || k.startsWith("OPENAI_") || k.startsWith("ANTHROPIC_")
                || k.startsWith("PROXY_") || k.startsWith("SERVER_") || k.equals("BACKEND_URL") || k.equals("GATEWAY_CONFIG")
                || k.endsWith("PORT"));
        builder.environment().put("BACKEND_URL", "http://127.0.0.1:9/v1/chat/completions");
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("SERVER_ADDRESS", "127.0.0.1");
        builder.environment().put("HEALTH_CHECK_INTERVAL_MS", "off");
        builder.redirectErrorStream(true);
        Process process = builder.start();
        try {
            waitForStart(process);

            assertThat(connects("127.0.0.1", port)).isTrue();
            assertThatThrownBy(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.2", port), TIMEOUT_MS);
                }
            }).isInstanceOf(ConnectException.class);
        } finally {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void waitForStart(Process process) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            seen.append(line).append('\n');
            if (line.contains("Started GatewayApplication")) {
                Thread.ofVirtual().start(() -> out.lines().forEach(ignored -> { }));  // keep the pipe drained
                return;
            }
        }
        throw new AssertionError("the gateway did not start:\n" + seen);
    }

    private static boolean connects(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
