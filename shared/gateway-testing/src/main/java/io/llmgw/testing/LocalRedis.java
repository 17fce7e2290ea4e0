package io.llmgw.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} (the Debian package, found on {@code PATH}) on a free loopback port,
 * for the tests of the Redis state store: nothing persisted, stopped on {@link #close()}. Where
 * the binary is missing the calling test is skipped, unless {@code GATEWAY_TEST_REQUIRE_STORES=1}
 * (CI sets it) makes that a failure.
 */
public final class LocalRedis implements AutoCloseable {
    private static final long START_TIMEOUT_MILLIS = 10_000;

    private final Process process;
    private final int port;
    private final Path dir;
    /** A test JVM that ends without closing this still stops the server. */
    private final Thread stopAtExit;

    private LocalRedis(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.stopAtExit = new Thread(process::destroyForcibly, "stop redis-server " + port);
        Runtime.getRuntime().addShutdownHook(stopAtExit);
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

    /** A loopback port nothing listens on at the moment of asking. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    /** {@code redis://127.0.0.1:<port>}, without credentials. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException alreadyExiting) {
            // the hook is running or about to: it stops the server
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteQuietly(dir);
    }

    private static Path requireBinary() {
        Optional<Path> binary = binary();
        if (binary.isPresent()) {
            return binary.get();
        }
        String missing = "redis-server is not on PATH";
        if ("1".equals(System.getenv("GATEWAY_TEST_REQUIRE_STORES"))) {
            throw new IllegalStateException(missing + " and GATEWAY_TEST_REQUIRE_STORES=1: run .ci/install-stores.sh "
                    + "(it installs Debian's redis-server) before the tests");
        }
        return Assumptions.abort(missing + "; run .ci/install-stores.sh to run the Redis tests");
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
        Path log = dir.resolve("redis.log");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            deleteQuietly(dir);
            throw new IllegalStateException("cannot start " + binary, e);
        }
        LocalRedis redis = new LocalRedis(process, port, dir);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
        while (System.nanoTime() < deadline && process.isAlive()) {
            // its own log first: another server that won the race for the port would answer PING too
            if (readQuietly(log).contains("Ready to accept connections") && answersPing(port)) {
                return redis;
            }
            sleep(20);
        }
        String output = readQuietly(log);
        redis.close();
        throw new IllegalStateException("redis-server did not answer PING on 127.0.0.1:" + port + ": " + output);
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

    private static Optional<Path> binary() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (!directory.isEmpty()) {
                Path candidate = Path.of(directory, "redis-server");
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for redis-server", e);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return "(no output)";
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
