package io.llmgw.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} (the Debian package, found on {@code PATH}) on a free loopback port,
 * for the tests of the Redis state store: nothing persisted, stopped on {@link #close()}. Where
 * the binary is missing the calling test is skipped, unless {@code GATEWAY_TEST_REQUIRE_STORES=1}
 * (CI sets it) makes that a failure.
 */
public final class LocalRedis extends LocalServer {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Path dir;

    private LocalRedis(Process process, int port, Path dir) {
        super("redis-server", process, port, dir.resolve("redis.log"));
        this.dir = dir;
    }

    /**
     * Starts a server and waits until it answers {@code PING}.
     *
     * @param extraArguments further {@code redis-server} options, e.g. {@code "--requirepass", "secret"}
     */
    public static LocalRedis start(String... extraArguments) {
        Path binary = requireBinary();
        IllegalStateException failure = null;
        // the free port can be taken between choosing and binding it; another port then
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return launch(binary, freePort(), extraArguments);
            } catch (IllegalStateException e) {
                failure = e;
            }
        }
        throw failure;
    }

    /** Starts a server on {@code port}, e.g. where a stopped one was, or where a client already points. */
    public static LocalRedis startOn(int port, String... extraArguments) {
        return launch(requireBinary(), port, extraArguments);
    }

    /** {@code redis://127.0.0.1:<port>}, without credentials. */
    public String url() {
        return "redis://127.0.0.1:" + port();
    }

    @Override
    void removeFiles() {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }

    private static Path requireBinary() {
        return required(binary(), "redis-server is not on PATH; run .ci/install-stores.sh (it installs Debian's redis-server)");
    }

    private static LocalRedis launch(Path binary, int port, String... extraArguments) {
        Path dir;
        try {
            dir = Files.createTempDirectory("llmgw-redis-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a directory for redis-server", e);
        }
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--logfile", ""));
        command.addAll(List.of(extraArguments));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            dir.toFile().delete();
            throw new IllegalStateException("cannot start " + binary, e);
        }
        LocalRedis redis = new LocalRedis(process, port, dir);
        // its own log first: another server that won the race for the port would answer PING too
        redis.awaitReady(START_TIMEOUT, () -> redis.logText().contains("Ready to accept connections") && answersPing(port));
        return redis;
    }

    /** Speaks RESP's inline form by hand: any reply ({@code +PONG}, or {@code -NOAUTH} with a password) means it serves. */
    private static boolean answersPing(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            int first = in.read();
            return first == '+' || first == '-';
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code redis-server} in a directory of {@code PATH}, or null. */
    private static Path binary() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, "redis-server"))) {
                return Path.of(directory, "redis-server");
            }
        }
        return null;
    }
}
