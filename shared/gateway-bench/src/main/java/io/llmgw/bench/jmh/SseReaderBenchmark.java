package io.llmgw.bench.jmh;

import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.stream.SseReader;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.Reply;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parsing a realistic chat-completions stream (about 200 chunks of a few words) from bytes into
 * events. Throughput in streams per second; multiply by {@link #streamBytes} for bytes per second.
 */
public class SseReaderBenchmark extends ThroughputSettings {
    private byte[] stream;
    public int streamBytes;

    @Setup
    public void setUp() {
        List<String> chunks = ChatScript.text("The quick brown fox jumps over the lazy dog. ".repeat(20)).chunkSize(5).chunks(true);
        stream = String.join("", Reply.sse(chunks).frames()).getBytes(StandardCharsets.UTF_8);
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
