package io.llmgw.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;

/**
 * A store server a test runs as a child process on a loopback port, its output in a log file: what
 * {@link LocalRedis} and {@link LocalDynalite} share — finding the program (a skip when it is missing,
 * a failure under {@code GATEWAY_TEST_REQUIRE_STORES=1}), waiting until it serves, and stopping it,
 * also when the test JVM ends without closing it.
 */
abstract class LocalServer implements AutoCloseable {
    private final String name;
    private final Process process;
    private final int port;
    private final Path log;
    private final Thread stopAtExit;

    LocalServer(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
        this.stopAtExit = new Thread(process::destroyForcibly, "stop " + name + " " + port);
        Runtime.getRuntime().addShutdownHook(stopAtExit);
    }

    /** A loopback port nothing listens on at the moment of asking. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    public int port() {
        return port;
    }

    /**
     * Returns {@code program} when it is there; else skips the calling test, or fails it under
     * {@code GATEWAY_TEST_REQUIRE_STORES=1} (CI sets it, so CI cannot pass without the store tests).
     *
     * @param missing what is missing and how to install it
     */
    static Path required(Path program, String missing) {
        if (program != null && Files.isExecutable(program)) {
            return program;
        }
        if ("1".equals(System.getenv("GATEWAY_TEST_REQUIRE_STORES"))) {
            throw new IllegalStateException(missing + ". GATEWAY_TEST_REQUIRE_STORES=1 makes this a failure instead of a skip.");
        }
        return Assumptions.abort(missing);
    }

    /** Polls {@code ready} until it holds; closes this and fails when the process exits or {@code timeout} passes first. */
    final void awaitReady(Duration timeout, BooleanSupplier ready) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (ready.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                close();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
        }
        String why = process.isAlive() ? "did not serve within " + timeout.toSeconds() + " s" : "exited with " + process.exitValue();
        String output = logText();
        close();
        throw new IllegalStateException(name + " on 127.0.0.1:" + port + " " + why + ": " + output);
    }

    /** What the server wrote so far. */
    final String logText() {
        try {
            return Files.readString(log).strip();
        } catch (IOException e) {
            return "(no output)";
        }
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
        removeFiles();
    }

    /** Deletes what the server left on disk (its log, its directory); called once it has stopped. */
    abstract void removeFiles();
}
