package io.llmgw.bench.jmh;

import io.llmgw.core.dialect.anthropic.MessagesStreamEncoder;
import io.llmgw.core.http.Headers;
import io.llmgw.core.protocol.ToolNames;
import io.llmgw.core.protocol.anthropic.AnthropicStreamDecoder;
import io.llmgw.core.protocol.openai.ChatStreamDecoder;
import io.llmgw.core.relay.TranslatingStream;
import io.llmgw.core.spi.Progress;
import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.stream.SseReader;
import io.llmgw.core.stream.StreamSink;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.web.ClientResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * An Anthropic upstream's Messages stream decoded into canonical events, the first half of every
 * request from an OpenAI client to a Claude upstream: the events read by {@link SseReader} and
 * decoded by {@link AnthropicStreamDecoder}, the canonical events consumed by a blackhole. The
 * upstream stream is the {@link CapturedChunks} shapes of {@link ChatPassthroughBenchmark} as
 * Anthropic events — made once at setup by the gateway's own chat → Anthropic translation, which
 * writes the events Anthropic sends: mostly {@code content_block_delta} ({@code text_delta},
 * {@code thinking_delta}, {@code input_json_delta}). One operation is one whole stream;
 * {@code -prof gc}'s {@code gc.alloc.rate.norm} divided by the events per stream (printed at setup)
 * is the allocation per event.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class AnthropicDecodeBenchmark extends ThroughputSettings {
    /** {@code text}: a 1,000-word answer; {@code tools}: reasoning, text and two parallel calls with streamed arguments. */
    @Param({"text", "tools"})
    public String shape;

    private byte[] sse;
    private int events;

    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Volume {
        public long sseBytes;
        public long upstreamEvents;

        @Setup(Level.Iteration)
        public void reset() {
            sseBytes = 0;
            upstreamEvents = 0;
        }
    }

    @Setup(Level.Trial)
    public void captureStream() throws IOException {
        CapturedChunks chunks = new CapturedChunks(new SplittableRandom(42));
        if (shape.equals("tools")) {
            chunks.reasoning(600).text(400).toolCall(0, "call_Yk3r", "get_weather", "{\"city\":\"Paris\",\"unit\":\"celsius\",\"days\":3}")
                    .toolCall(1, "call_Zq8w", "search_documents", "{\"query\":\"quarterly revenue by region\",\"limit\":10}");
        } else {
            chunks.text(4_000);
        }
        sse = anthropicEvents(chunks.finish(shape.equals("tools") ? "tool_calls" : "stop").getBytes(StandardCharsets.UTF_8));
        SseReader reader = new SseReader(new ByteArrayInputStream(sse));
        while (reader.next() != null) {
            events++;
        }
        System.out.printf("%n[%s] %d bytes of SSE, %d upstream events per stream%n", shape, sse.length, events);
    }

    /** The chat stream as the events of an Anthropic upstream. */
    private static byte[] anthropicEvents(byte[] chat) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StreamSink capture = new StreamSink() {
            @Override
            public void start(int status, Headers headers) {}

            @Override
            public void write(byte[] data, int offset, int length) {
                bytes.write(data, offset, length);
            }

            @Override
            public void flush() {}

            @Override
            public void complete() {}

            @Override
            public void fail(Throwable error) {}
        };
        ClientResponse out = new ClientResponse(capture, new RequestContext("req_bench", 0), new Headers());
        TranslatingStream stream = new TranslatingStream(new ChatStreamDecoder(ToolNames.NONE, Set.of()),
                new MessagesStreamEncoder(out, "claude-sonnet-4-5", "anthropic", () -> 0));
        SseReader reader = new SseReader(new ByteArrayInputStream(chat));
        Progress progress = Progress.CONTINUE;
        for (SseEvent event; progress == Progress.CONTINUE && (event = reader.next()) != null; ) {
            progress = stream.onEvent(event, out);
        }
        return bytes.toByteArray();
    }

    @Benchmark
    public Progress decode(Volume volume, Blackhole blackhole) throws IOException {
        AnthropicStreamDecoder decoder = new AnthropicStreamDecoder(ToolNames.NONE, Set.of());
        SseReader reader = new SseReader(new ByteArrayInputStream(sse));
        Progress progress = Progress.CONTINUE;
        for (SseEvent event; progress == Progress.CONTINUE && (event = reader.next()) != null; ) {
            progress = decoder.decode(event, blackhole::consume);
        }
        if (progress != Progress.FINISHED) {
            throw new IllegalStateException("the decoder did not finish the stream: " + progress);
        }
        volume.sseBytes += sse.length;
        volume.upstreamEvents += events;
        return progress;
    }
}
