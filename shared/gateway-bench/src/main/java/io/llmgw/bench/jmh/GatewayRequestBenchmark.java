package io.llmgw.bench.jmh;

import io.llmgw.core.http.Headers;
import java.nio.charset.StandardCharsets;
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
 * The gateway's own work for one whole request, with no socket anywhere: the
 * {@code run-load.sh} / {@code side-by-side.sh} request (a chat completion, {@code max_tokens} 16)
 * handed to {@code Gateway.handle} with a gateway key ({@link InProcessGateway}), routed to an upstream in this process that
 * answers the bench fake's bytes at no cost of its own ({@link ConstantUpstreamFactory}), the answer
 * written to a sink that discards it. Microseconds per operation are what authentication, parsing,
 * routing, the upstream exchange's bookkeeping (watchdog, attempt, breaker), the answer's usage and
 * key scrubbing cost on one core, without the server, the upstream client's I/O, the request log
 * line or the metrics (those are the app's). {@code passthrough}: chat client, chat upstream;
 * {@code translated}: the same request as an Anthropic Messages client to the same upstream;
 * {@code streamed}: the chat request with {@code "stream":true}, its chunks relayed one by one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class GatewayRequestBenchmark extends ThroughputSettings {
    @Param({"passthrough", "translated", "streamed"})
    public String path;

    private InProcessGateway gateway;
    private String endpoint;
    private Headers headers;
    private byte[] body;

    @Setup(Level.Trial)
    public void start() {
        gateway = new InProcessGateway();
        boolean messages = path.equals("translated");
        endpoint = messages ? "/v1/messages" : "/v1/chat/completions";
        body = (messages
                ? "{\"model\":\"gpt-4o-mini\",\"max_tokens\":16,\"system\":\"You are a helpful assistant.\","
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello in one short sentence.\"}]}"
                : "{\"model\":\"gpt-4o-mini\",\"max_tokens\":16," + (path.equals("streamed") ? "\"stream\":true," : "")
                        + "\"messages\":[{\"role\":\"system\",\"content\":"
                        + "\"You are a helpful assistant.\"},{\"role\":\"user\",\"content\":\"Say hello in one short sentence.\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        headers = messages
                ? Headers.of("content-type", "application/json", "x-api-key", InProcessGateway.KEY, "anthropic-version", "2023-06-01")
                : Headers.of("content-type", "application/json", "authorization", "Bearer " + InProcessGateway.KEY);
        int status = gateway.serve(endpoint, headers, body);
        if (status != 200) {
            throw new IllegalStateException("the benchmark's request was answered " + status + ", not 200");
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        gateway.close();
    }

    @Benchmark
    public int request() {
        return gateway.serve(endpoint, headers, body);
    }
}
