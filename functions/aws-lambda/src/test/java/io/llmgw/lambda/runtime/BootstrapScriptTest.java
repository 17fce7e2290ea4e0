package io.llmgw.lambda.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.lambda.testing.Events;
import io.llmgw.lambda.testing.FakeRuntimeApi;
import io.llmgw.lambda.testing.FakeRuntimeApi.Posted;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code stream-bootstrap} exec wrapper: what it does to Lambda's java command line, and a real JVM started through it. */
class BootstrapScriptTest {
    private static final Path SCRIPT = Path.of("src/main/lambda/stream-bootstrap").toAbsolutePath();
    private static final String RIC = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    /** The shape of the managed runtime's command line (docs/lambda-runtime.md#managed-runtime-command-line). */
    private static final List<String> LAMBDA_ARGS = List.of("-XX:MaxHeapSize=445645k", "-XX:+UseSerialGC",
            "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac",
            "-classpath", "/var/runtime/lib/aws-lambda-java-core-1.2.3.jar:/var/runtime/lib/aws-lambda-java-runtime-interface-client.jar",
            RIC, "io.llmgw.lambda.apigateway.HttpApiHandler::handleRequest");

    private record Run(int exit, List<String> args, String stderr) {}

    /** Runs the wrapper with a stand-in interpreter that prints the arguments it was exec'd with. */
    private static Run wrap(Path dir, List<String> args) throws Exception {
        Path echo = dir.resolve("java");
        Files.writeString(echo, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(echo, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> command = new ArrayList<>(List.of("sh", SCRIPT.toString(), echo.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("LAMBDA_TASK_ROOT", "/var/task");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        return new Run(exit, out.isEmpty() ? List.of() : List.of(out.split("\n")), err);
    }

    @Test
    void keepsLambdasJvmFlagsSwapsTheMainClassAndExitsOnOutOfMemory(@TempDir Path dir) throws Exception {
        Run run = wrap(dir, LAMBDA_ARGS);
        assertThat(run.exit()).isZero();
        assertThat(run.args()).containsExactly("-XX:MaxHeapSize=445645k", "-XX:+UseSerialGC", "-Xshare:auto",
                "-XX:TieredStopAtLevel=1", "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac", "-classpath",
                "/var/runtime/lib/aws-lambda-java-core-1.2.3.jar:/var/runtime/lib/aws-lambda-java-runtime-interface-client.jar"
                        + ":/var/task:/var/task/lib/*",
                "-XX:+ExitOnOutOfMemoryError", "io.llmgw.lambda.runtime.LambdaMain", "io.llmgw.lambda.apigateway.HttpApiHandler::handleRequest");
    }

    @Test
    void addsAClassPathWhenTheCommandLineHasNone(@TempDir Path dir) throws Exception {
        Run run = wrap(dir, List.of("-Xshare:auto", RIC, "handler"));
        assertThat(run.args()).containsExactly("-Xshare:auto", "-classpath", "/var/task:/var/task/lib/*",
                "-XX:+ExitOnOutOfMemoryError", "io.llmgw.lambda.runtime.LambdaMain", "handler");
    }

    @Test
    void refusesACommandLineWithoutTheRuntimeClient(@TempDir Path dir) throws Exception {
        Run run = wrap(dir, List.of("-jar", "something.jar"));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.args()).isEmpty();
        assertThat(run.stderr()).contains(RIC).contains("unset AWS_LAMBDA_EXEC_WRAPPER");
    }

    @Test
    void aRealJvmStartedThroughTheWrapperServesAnInvocation(@TempDir Path taskRoot) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        try (FakeRuntimeApi runtime = FakeRuntimeApi.start()) {
            List<String> command = new ArrayList<>(List.of("sh", SCRIPT.toString(), java, "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-classpath", System.getProperty("java.class.path"), RIC, "ignored::handler"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(taskRoot.resolve("out.log").toFile());
            Map<String, String> env = builder.environment();
            env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
            env.put("AWS_LAMBDA_RUNTIME_API", runtime.address());
            env.put("PROXY_API_KEY", Events.KEY);
            env.put("AWS_LAMBDA_FUNCTION_NAME", "gateway");
            env.put("POWERTOOLS_SERVICE_NAME", "llm-gateway-test");
            env.put("BACKEND_URL", "http://127.0.0.1:9/v1/chat/completions");
            env.remove("GATEWAY_SECRET_ID");
            env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");  // as Lambda sets it; Powertools reads it for cold_start
            runtime.enqueue("proc-1", Events.bytes("function-url-health.json"));
            Process process = builder.start();
            try {
                Posted post = runtime.awaitPost("response:proc-1", Duration.ofSeconds(30));
                assertThat(StreamingLoopTest.status(post)).isEqualTo(200);
                runtime.close();
                assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(process.exitValue()).isEqualTo(RuntimeLoop.EXIT_RUNTIME_API_GONE);

                // stdout: the request line in Powertools' JSON layout with the Lambda fields, then the EMF line
                List<String> lines = Files.readAllLines(taskRoot.resolve("out.log"));
                String request = lines.stream().filter(l -> l.contains("\"message\":\"request\"")).findFirst().orElseThrow();
                assertThat(request).startsWith("{").contains("\"cold_start\":true", "\"function_name\":\"gateway\"",
                        "\"function_request_id\":\"proc-1\"", "\"correlation_id\":\"proc-1\"", "\"service\":\"llm-gateway-test\"",
                        "\"path\":\"/health\"", "\"xray_trace_id\":\"1-6741a2b3-");
                assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("{\"_aws\":{").contains("\"gateway_requests_total\":1"));
            } finally {
                process.destroyForcibly();
            }
        }
    }
}
