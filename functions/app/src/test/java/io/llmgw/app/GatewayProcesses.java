package io.llmgw.app;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Gateway processes of their own (the app's main class on this test's class path, each its own JVM
 * and port) started from one configuration file, for tests of what instances share through a state
 * store; their output goes to {@code gateway-<port>.log} in {@code dir}.
 */
final class GatewayProcesses implements AutoCloseable {
    private final Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final int[] ports;

    /** Starts {@code count} processes on {@code config} and waits until each is live. */
    GatewayProcesses(Path config, Path dir, int count) throws Exception {
        this.dir = dir;
        this.ports = new int[count];
        try {
            for (int i = 0; i < count; i++) {
                ports[i] = freePort();
                processes.add(start(config, ports[i]));
            }
            for (int port : ports) {
                awaitReady(port);
            }
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private Process start(Path config, int port) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                GatewayApplication.class.getName());
        builder.environment().keySet().removeIf(k -> k.startsWith("AZURE_") || k.startsWith("OPENAI_") || k.startsWith("ANTHROPIC_")
                || k.startsWith("PROXY_") || k.startsWith("GATEWAY_") || k.startsWith("AWS_") || k.equals("BACKEND_URL")
                || k.endsWith("PORT"));
        builder.environment().put("GATEWAY_CONFIG", config.toString());
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("HEALTH_CHECK_INTERVAL_MS", "off");
        // the DynamoDB client's credentials and region (dynalite checks neither)
        builder.environment().put("AWS_ACCESS_KEY_ID", "fake-access-key-id");
        builder.environment().put("AWS_SECRET_ACCESS_KEY", "fake-secret-access-key");
        builder.environment().put("AWS_REGION", "us-east-1");
        builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        builder.redirectErrorStream(true);
        builder.redirectOutput(dir.resolve("gateway-" + port + ".log").toFile());
        return builder.start();
    }

    private void awaitReady(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live"))
                        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (live.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the gateway on port " + port + " did not start:\n" + Files.readString(dir.resolve("gateway-" + port + ".log")));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The state table as the templates create it, on a local DynamoDB-protocol server. */
    @Override
    public void close() throws InterruptedException {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
