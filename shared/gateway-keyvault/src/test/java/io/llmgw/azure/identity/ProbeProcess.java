package io.llmgw.azure.identity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link EntraRedisProbe} in a child JVM on this test's class path with exactly the environment
 * given (nothing inherited), and talks to it line by line; everything it prints — its log lines
 * included — is kept for the test to search.
 */
final class ProbeProcess implements AutoCloseable {
    /** A JVM start with the Azure SDK's classes, then the first token, on a busy machine. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final StringBuffer output = new StringBuffer();

    ProbeProcess(Map<String, String> environment) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), EntraRedisProbe.class.getName())
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        process = builder.start();
        commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofVirtual().start(this::read);
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                output.append(line).append('\n');
                if (line.startsWith(EntraRedisProbe.ANSWER)) {
                    answers.add(line.substring(EntraRedisProbe.ANSWER.length()));
                }
            }
        } catch (IOException ended) {
            // the process is gone
        }
    }

    /** The next answer: the store opening, or the one to the last command. */
    String answer() throws InterruptedException {
        String answer = answers.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        if (answer == null) {
            throw new AssertionError("the probe did not answer within " + PATIENCE.toSeconds() + " s; its output:\n" + output);
        }
        return answer;
    }

    /** Runs one operation, e.g. {@code add k 2}, and returns its answer. */
    String send(String command) throws IOException, InterruptedException {
        commands.write(command + "\n");
        commands.flush();
        return answer();
    }

    /** Everything the probe printed so far. */
    String output() {
        return output.toString();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            commands.write("quit\n");
            commands.close();
        } catch (IOException alreadyGone) {
            // it ended by itself
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
