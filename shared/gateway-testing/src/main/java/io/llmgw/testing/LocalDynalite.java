package io.llmgw.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real DynamoDB-protocol server for tests: dynalite (npm, installed into {@code .ci/tools} by
 * {@code .ci/install-stores.sh}) on a free loopback port, in memory, started per test class and
 * stopped on {@link #close}. Tables are created by the test through the AWS SDK (this module has no
 * SDK), with dynalite's create/delete delays set to zero so a table is active at once.
 *
 * <p>When dynalite is not installed the calling test is skipped, unless
 * {@code GATEWAY_TEST_REQUIRE_STORES=1} (set by {@code .ci/run}): then it fails, so CI cannot pass
 * without having run the store tests.
 */
public final class LocalDynalite implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path log;
    private final int port;

    private LocalDynalite(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts dynalite, or skips (fails under {@code GATEWAY_TEST_REQUIRE_STORES=1}) when it is not installed. */
    public static LocalDynalite start() throws IOException, InterruptedException {
        Path dynalite = executable();
        int port = freePort();
        Path log = Files.createTempFile("dynalite-", ".log");
        Process process = new ProcessBuilder(List.of(dynalite.toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        LocalDynalite server = new LocalDynalite(process, log, port);
        server.awaitListening();
        return server;
    }

    /** Where the AWS SDK's endpoint override points: {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temporary file; the OS cleans up
        }
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("dynalite exited with " + process.exitValue() + " before listening: "
                        + Files.readString(log, StandardCharsets.UTF_8).strip());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        close();
        throw new IllegalStateException("dynalite did not listen on 127.0.0.1:" + port + " within " + START_TIMEOUT.toSeconds() + " s");
    }

    private static Path executable() {
        Path root = repositoryRoot();
        Path dynalite = root == null ? null : root.resolve(".ci/tools/node_modules/.bin/dynalite");
        if (dynalite != null && Files.isExecutable(dynalite)) {
            return dynalite;
        }
        String missing = "dynalite is not installed (expected " + (dynalite == null ? ".ci/tools/node_modules/.bin/dynalite" : dynalite)
                + "); run .ci/install-stores.sh from the repository root (it needs npm)";
        if ("1".equals(System.getenv("GATEWAY_TEST_REQUIRE_STORES"))) {
            throw new IllegalStateException(missing + ". GATEWAY_TEST_REQUIRE_STORES=1 makes this a failure instead of a skip.");
        }
        Assumptions.abort(missing);
        return null;
    }

    /** The nearest directory at or above the working directory that holds {@code .ci}; null when none does. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(".ci"))) {
                return dir;
            }
        }
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
