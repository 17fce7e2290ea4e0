package io.llmgw.bench;

import io.llmgw.testing.FakeUpstream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * For tests that run {@link LoadBenchmark} itself: two fake upstreams stand in for the direct target
 * and the gateway, the report (stdout) is kept out of the build's log and the progress (stderr) is
 * kept in {@link #err} for the tests that read it.
 */
abstract class LoadBenchmarkTargets {
    protected final FakeUpstream direct = FakeUpstream.start();
    protected final FakeUpstream gateway = FakeUpstream.start();
    protected final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream originalOut = System.out;
    private final PrintStream originalErr = System.err;

    @BeforeEach
    void captureOutput() {
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutputAndStop() {
        System.setOut(originalOut);
        System.setErr(originalErr);
        direct.close();
        gateway.close();
    }
}
