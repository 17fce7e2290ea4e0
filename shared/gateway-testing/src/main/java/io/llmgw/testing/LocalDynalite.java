package io.llmgw.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
public final class LocalDynalite extends LocalServer {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Path log;

    private LocalDynalite(Process process, Path log, int port) {
        super("dynalite", process, port, log);
        this.log = log;
    }

    /** Starts dynalite, or skips (fails under {@code GATEWAY_TEST_REQUIRE_STORES=1}) when it is not installed. */
    public static LocalDynalite start() throws IOException, InterruptedException {
        Path root = repositoryRoot();
        Path expected = root == null ? null : root.resolve(".ci/tools/node_modules/.bin/dynalite");
        Path dynalite = required(expected, "dynalite is not installed (expected "
                + (expected == null ? ".ci/tools/node_modules/.bin/dynalite" : expected)
                + "); run .ci/install-stores.sh from the repository root (it needs npm)");
        int port = freePort();
        Path log = Files.createTempFile("dynalite-", ".log");
        Process process = new ProcessBuilder(List.of(dynalite.toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        LocalDynalite server = new LocalDynalite(process, log, port);
        server.awaitReady(START_TIMEOUT, () -> listens(port));
        return server;
    }

    /** Where the AWS SDK's endpoint override points: {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    @Override
    void removeFiles() {
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temporary file; the OS cleans up
        }
    }

    private static boolean listens(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
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
}
