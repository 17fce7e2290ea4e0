package io.llmgw.bench.jmh;

import io.llmgw.core.Gateway;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.http.Headers;
import io.llmgw.core.telemetry.GatewayEvents;
import io.llmgw.core.web.GatewayRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The gateway's own work for one whole non-streamed request, with no socket anywhere: the
 * {@code run-load.sh} / {@code side-by-side.sh} request (a chat completion, {@code max_tokens} 16)
 * handed to {@link Gateway#handle} with a gateway key, routed to an upstream in this process that
 * answers the bench fake's bytes at no cost of its own ({@link ConstantUpstreamFactory}), the answer
 * written to a sink that discards it. Microseconds per operation are what authentication, parsing,
 * routing, the upstream exchange's bookkeeping (watchdog, attempt, breaker), the answer's usage and
 * key scrubbing cost on one core, without the server, the upstream client's I/O, the request log
 * line or the metrics (those are the app's). {@code passthrough}: chat client, chat upstream;
 * {@code translated}: the same request as an Anthropic Messages client to the same upstream.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class GatewayRequestBenchmark extends ThroughputSettings {
    private static final String KEY = "bench-gateway-key-0123456789abcdef012345";

    @Param({"passthrough", "translated"})
    public String path;

    private Gateway gateway;
    private GatewayRequest request;

    @Setup(Level.Trial)
    public void start() throws IOException {
        Path file = Files.createTempFile("gateway-request-benchmark", ".yaml");
        Files.writeString(file, """
                auth: { mode: gateway, keys: ["${KEY}"] }
                routing: { retries: 0, health_check_interval: off }
                providers: { c: { type: %s } }
                models: { "*": { deployments: [ { provider: c } ] } }
                """.formatted(ConstantUpstreamFactory.TYPE));
        GatewayConfig config = ConfigLoader.load(Map.of("GATEWAY_CONFIG", file.toString(), "KEY", KEY));
        Files.delete(file);
        gateway = new Gateway(config, GatewayEvents.NONE, Clock.systemUTC());
        boolean messages = path.equals("translated");
        String body = messages
                ? "{\"model\":\"gpt-4o-mini\",\"max_tokens\":16,\"system\":\"You are a helpful assistant.\","
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello in one short sentence.\"}]}"
                : "{\"model\":\"gpt-4o-mini\",\"max_tokens\":16,\"messages\":[{\"role\":\"system\",\"content\":"
                        + "\"You are a helpful assistant.\"},{\"role\":\"user\",\"content\":\"Say hello in one short sentence.\"}]}";
        Headers headers = messages
                ? Headers.of("content-type", "application/json", "x-api-key", KEY, "anthropic-version", "2023-06-01")
                : Headers.of("content-type", "application/json", "authorization", "Bearer " + KEY);
        request = new GatewayRequest("POST", messages ? "/v1/messages" : "/v1/chat/completions", null, headers,
                body.getBytes(StandardCharsets.UTF_8), "127.0.0.1", null);
        CountingSink check = new CountingSink();
        gateway.handle(request, check);
        if (check.status != 200) {
            throw new IllegalStateException("the benchmark's request was answered " + check.status + ", not 200");
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        gateway.close();
    }

    @Benchmark
    public int request() {
        CountingSink sink = new CountingSink();
        gateway.handle(request, sink);
        return sink.status;
    }

    /** Keeps the status (checked once at setup) and no byte. */
    private static final class CountingSink implements io.llmgw.core.stream.StreamSink {
        int status;

        @Override
        public void start(int status, Headers headers) {
            this.status = status;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {}

        @Override
        public void flush() {}

        @Override
        public void complete() {}

        @Override
        public void fail(Throwable error) {}
    }
}
