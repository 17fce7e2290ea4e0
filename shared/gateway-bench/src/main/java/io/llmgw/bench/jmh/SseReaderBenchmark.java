package io.llmgw.bench.jmh;

import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.stream.SseReader;
import io.llmgw.testing.ChatScript;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parsing a realistic chat-completions stream (about 200 chunks of a few words) from bytes into
 * events. Throughput in streams per second; multiply by {@link #streamBytes} for bytes per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SseReaderBenchmark {
    private byte[] stream;
    public int streamBytes;

    @Setup
    public void setUp() {
        StringBuilder sse = new StringBuilder();
        for (String chunk : ChatScript.text("The quick brown fox jumps over the lazy dog. ".repeat(20)).chunkSize(5).chunks(true)) {
            sse.append("data: ").append(chunk).append("\n\n");
        }
        stream = sse.toString().getBytes(StandardCharsets.UTF_8);
        streamBytes = stream.length;
    }

    @Benchmark
    public void parse(Blackhole blackhole) throws IOException {
        SseReader reader = new SseReader(new ByteArrayInputStream(stream));
        for (SseEvent event; (event = reader.next()) != null; ) {
            blackhole.consume(event);
        }
    }
}
