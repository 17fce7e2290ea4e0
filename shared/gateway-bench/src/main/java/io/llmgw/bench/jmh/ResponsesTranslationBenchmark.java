package io.llmgw.bench.jmh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.dialect.openai.responses.ResponsesStreamEncoder;
import io.llmgw.core.json.Json;
import io.llmgw.core.protocol.ToolNames;
import io.llmgw.core.protocol.openai.ChatStreamDecoder;
import io.llmgw.core.spi.Progress;
import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.stream.SseReader;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.Reply;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Chat-completions chunks → Responses events, the path every Codex turn on a chat upstream takes:
 * SSE bytes read by {@link SseReader}, chunks decoded by {@link ChatStreamDecoder}, events written
 * by {@link ResponsesStreamEncoder} into a discarding sink. One operation is one whole stream —
 * a reasoning summary, an answer of ~200 token-sized chunks and a tool call in fragments, as
 * OpenAI sends them — and the counters give the rates that matter: {@code inputBytes} is SSE
 * input per second (the target is 50 MB/s per core), {@code upstreamEvents} and
 * {@code clientFrames} events per second. With {@code -prof gc}, {@code gc.alloc.rate.norm} is
 * bytes allocated per stream; divide by the events per stream printed at setup.
 * {@code decodeOnly} is the same without the encoder, to show what the translation adds.
 */
public class ResponsesTranslationBenchmark extends ThroughputSettings {
    private byte[] stream;
    private int upstreamEventsPerStream;
    private ObjectNode request;

    /**
     * Rates per second of wall time, reported next to the stream rate. {@code cpuMicros} is the
     * benchmark thread's own CPU time, so {@code inputBytes / cpuMicros} is bytes per CPU-microsecond
     * (MB/s per core) even on a machine busy with other work.
     */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Rates {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        public long inputBytes;
        public long upstreamEvents;
        public long clientFrames;
        public long cpuMicros;
        private long cpuStart;

        @Setup(Level.Iteration)
        public void reset() {
            inputBytes = 0;
            upstreamEvents = 0;
            clientFrames = 0;
            cpuMicros = 0;
        }

        @Setup(Level.Invocation)
        public void startClock() {
            cpuStart = THREADS.getCurrentThreadCpuTime();
        }

        @TearDown(Level.Invocation)
        public void stopClock() {
            cpuMicros += (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1000;
        }
    }

    @Setup
    public void setUp() throws IOException {
        ChatScript script = ChatScript.text("Here is the plan: list the files, read the README and then patch the build. ".repeat(12))
                .chunkSize(4)
                .reasoning("The user wants the build fixed; first look at what is there. ".repeat(4))
                .toolCall("call_bench1", "exec_command", "{\"cmd\":\"ls -la && sed -n 1,80p README.md\",\"workdir\":\"/work\"}")
                .argumentFragments(24)
                .usage(2460, 310)
                .cachedTokens(2048);
        List<String> frames = Reply.sse(script.chunks(true)).frames();
        upstreamEventsPerStream = frames.size();
        stream = String.join("", frames).getBytes(StandardCharsets.UTF_8);
        request = (ObjectNode) Json.parse(("{\"model\":\"gpt-4o\",\"stream\":true,\"input\":\"fix the build\",\"tools\":[{\"type\":"
                + "\"function\",\"name\":\"exec_command\",\"parameters\":{\"type\":\"object\",\"properties\":{\"cmd\":{\"type\":"
                + "\"string\"}}}}]}").getBytes(StandardCharsets.UTF_8));
        System.out.printf("%nstream: %d bytes of SSE, %d upstream events%n", stream.length, upstreamEventsPerStream);
    }

    @Benchmark
    public void translate(Rates rates, Blackhole blackhole) throws IOException {
        ResponsesStreamEncoder encoder = ResponsesStreamEncoder.forRequest(request, "gpt-4o", frame -> {
            rates.clientFrames++;
            blackhole.consume(frame);
        });
        pump(new ChatStreamDecoder(ToolNames.NONE, Set.of()), encoder, rates, blackhole);
    }

    @Benchmark
    public void decodeOnly(Rates rates, Blackhole blackhole) throws IOException {
        pump(new ChatStreamDecoder(ToolNames.NONE, Set.of()), null, rates, blackhole);
    }

    private void pump(ChatStreamDecoder decoder, ResponsesStreamEncoder encoder, Rates rates, Blackhole blackhole) throws IOException {
        SseReader reader = new SseReader(new ByteArrayInputStream(stream));
        for (SseEvent event; (event = reader.next()) != null; ) {
            rates.upstreamEvents++;
            Progress progress = decoder.decode(event, encoder != null ? encoder::onEvent : blackhole::consume);
            if (progress == Progress.FINISHED && encoder != null) {
                encoder.onComplete();
            }
        }
        rates.inputBytes += stream.length;
    }
}
