package io.llmgw.lambda.bench;

import io.llmgw.lambda.testing.Events;
import io.llmgw.lambda.testing.FakeRuntimeApi;
import io.llmgw.provider.bedrock.fake.ConverseScript;
import io.llmgw.provider.bedrock.fake.FakeBedrock;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Cold start of the streaming function, measured the way Lambda starts it: the deployment zip
 * unpacked as a task root, a fresh JVM launched through {@code stream-bootstrap} with the managed
 * runtime's JVM flags, the fake Runtime API handing it a streaming chat completion on a loopback
 * fake upstream. Measures JVM launch → first streamed body byte (the first SSE event after the
 * prelude and the 8 NULs) at the Runtime API, per run, and prints the median. {@code BENCH_UPSTREAM=bedrock} serves
 * it from a fake Amazon Bedrock instead (signed requests, event-stream answer).
 *
 * <p>Usage: {@code functions/aws-lambda/bench/cold-start.sh} (builds, then runs this with the zip).
 */
public final class ColdStartBench {
    /**
     * The managed java21 runtime's JVM flags (docs/lambda-runtime.md#managed-runtime-command-line), minus its own CDS
     * archive and class path.
     */
    static final List<String> LAMBDA_JVM_FLAGS = List.of("-XX:MaxHeapSize=445645k", "-XX:MaxMetaspaceSize=131072k",
            "-XX:ReservedCodeCacheSize=122880k", "-XX:+UseSerialGC", "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-Xshare:auto", "-XX:-UsePerfData", "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac");

    public static void main(String[] args) throws Exception {
        Path zip = Path.of(args.length > 0 ? args[0] : "functions/aws-lambda/target/gateway-lambda.zip");
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String java = args.length > 2 ? args[2] : ProcessHandle.current().info().command().orElseThrow();
        Path taskRoot = Files.createTempDirectory("gateway-lambda-task");
        unzip(zip, taskRoot);

        List<long[]> results = new ArrayList<>();
        boolean bedrock = "bedrock".equals(System.getenv("BENCH_UPSTREAM"));
        try (FakeUpstream upstream = FakeUpstream.start(); FakeBedrock aws = FakeBedrock.start()) {
            upstream.handler(request -> Reply.sse(ChatScript.text("Cold start, first token.").chunkSize(4).chunks(true)));
            aws.handler(ConverseScript.text("Cold start, first token.")::reply);
            Map<String, String> upstreamEnv = bedrock ? bedrockEnvironment(aws) : Map.of(
                    "OPENAI_API_KEY", "sk-bench-upstream-key-000000000000000", "OPENAI_BASE_URL", upstream.baseUrl() + "/v1");
            run(java, taskRoot, upstreamEnv, -1);  // warms the OS page cache for the jars, as a deployed package would be
            for (int i = 0; i < runs; i++) {
                results.add(run(java, taskRoot, upstreamEnv, i));
            }
            if (!aws.authFailures().isEmpty()) {
                throw new IllegalStateException("the fake Bedrock refused a signature: " + aws.authFailures());
            }
        }
        System.out.println("upstream: " + (bedrock ? "Amazon Bedrock (SigV4 with the environment's credentials, event stream)"
                : "OpenAI (chat completions SSE)"));
        System.out.printf(Locale.ROOT, "%-5s %12s %14s %18s %14s%n", "run", "to /next ms", "to prelude ms", "to first event ms",
                "JVM CPU ms");
        for (int i = 0; i < results.size(); i++) {
            long[] r = results.get(i);
            System.out.printf(Locale.ROOT, "%-5d %12.1f %14.1f %18.1f %14.1f%n", i + 1, r[0] / 1e6, r[1] / 1e6, r[2] / 1e6, r[3] / 1e6);
        }
        System.out.printf(Locale.ROOT, "median JVM start -> first streamed body byte: %.1f ms (%d runs, %s, load average %.2f)%n",
                median(results.stream().mapToLong(r -> r[2]).toArray()) / 1e6, runs, Runtime.version(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf(Locale.ROOT, "median JVM CPU time to the end of that response: %.1f ms%n",
                median(results.stream().mapToLong(r -> r[3]).toArray()) / 1e6);
    }

    /**
     * {@code BENCH_UPSTREAM=bedrock}: Bedrock turned on by {@code BEDROCK_REGION}, its requests signed with
     * credentials from environment variables — how Lambda hands a function its role.
     */
    private static Map<String, String> bedrockEnvironment(FakeBedrock aws) {
        return Map.of("BEDROCK_REGION", FakeBedrock.REGION, "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", aws.endpoint(),
                "BEDROCK_MODEL", "us.anthropic.claude-haiku-4-5-20251001-v1:0", "AWS_ACCESS_KEY_ID", FakeBedrock.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", FakeBedrock.SECRET_KEY, "AWS_SESSION_TOKEN", FakeBedrock.SESSION_TOKEN);
    }

    /** Returns nanoseconds from launch to the first /next, the prelude, and the first body chunk. */
    private static long[] run(String java, Path taskRoot, Map<String, String> upstreamEnv, int index) throws Exception {
        try (FakeRuntimeApi runtime = FakeRuntimeApi.start()) {
            CompletableFuture<Long> firstNext = new CompletableFuture<>();
            CompletableFuture<Long> prelude = new CompletableFuture<>();
            CompletableFuture<Long> firstEvent = new CompletableFuture<>();
            AtomicInteger chunks = new AtomicInteger();
            runtime.onCall(call -> {
                if (call.equals("GET /runtime/invocation/next")) {
                    firstNext.complete(System.nanoTime());
                }
            });
            runtime.onChunk(chunk -> {
                int n = chunks.incrementAndGet();
                if (n == 1) {
                    prelude.complete(chunk.arrivedNanos());
                } else if (n == 3) {
                    firstEvent.complete(chunk.arrivedNanos());
                }
            });
            String id = "cold-" + index;
            runtime.enqueue(id, Events.bytes("function-url-chat-completions-stream.json"));
            List<String> command = new ArrayList<>(List.of("sh", taskRoot.resolve("stream-bootstrap").toString(), java));
            command.addAll(LAMBDA_JVM_FLAGS);
            String extra = System.getenv("BENCH_JVM_FLAGS");  // e.g. -Xlog:class+load:file=/tmp/cl.log:uptime to profile
            if (extra != null && !extra.isBlank()) {
                command.addAll(List.of(extra.trim().split("\\s+")));
            }
            command.addAll(List.of("-classpath", taskRoot.resolve("runtime-lib-placeholder").toString(),
                    "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", "io.llmgw.lambda.apigateway.HttpApiHandler::handleRequest"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(taskRoot.resolve("run-" + index + ".log").toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> name.startsWith("AWS_") || name.equals("GATEWAY_SECRET_ID") || name.equals("JAVA_TOOL_OPTIONS"));
            env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
            env.put("AWS_LAMBDA_RUNTIME_API", runtime.address());
            env.put("AWS_LAMBDA_FUNCTION_NAME", "gateway");
            env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
            env.put("PROXY_API_KEY", Events.KEY);
            env.putAll(upstreamEnv);
            long start = System.nanoTime();
            Process process = builder.start();
            try {
                runtime.awaitPost("response:" + id, Duration.ofSeconds(60));
                // CPU the JVM used up to its response: unlike wall time, barely moved by other load on the machine.
                long cpu = process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
                return new long[] {firstNext.get() - start, prelude.get() - start, firstEvent.get() - start, cpu};
            } finally {
                process.destroy();  // it waits on /next for ever, as on Lambda
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }

    private static void unzip(Path zip, Path target) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(file.entries())) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("zip entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, out);
                }
            }
        }
        Files.setPosixFilePermissions(target.resolve("stream-bootstrap"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private ColdStartBench() {}
}
