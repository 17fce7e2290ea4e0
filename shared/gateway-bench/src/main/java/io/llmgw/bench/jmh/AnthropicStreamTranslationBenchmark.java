package io.llmgw.bench.jmh;

import io.llmgw.core.dialect.anthropic.MessagesStreamEncoder;
import io.llmgw.core.http.Headers;
import io.llmgw.core.model.StreamEvent;
import io.llmgw.core.protocol.ToolNames;
import io.llmgw.core.protocol.openai.ChatStreamDecoder;
import io.llmgw.core.spi.Progress;
import io.llmgw.core.relay.TranslatingStream;
import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.stream.SseReader;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.web.ClientResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

/**
 * The chat-chunk → Anthropic-event translation on its own: a captured-style OpenAI chunk stream
 * (envelope on every chunk, {@code obfuscation} padding, ~4 characters per content delta) read by
 * {@link SseReader}, decoded by {@link ChatStreamDecoder}, re-encoded by {@link MessagesStreamEncoder}
 * and written to a response whose sink discards the bytes. One operation is one whole stream;
 * the {@code sseBytes} and {@code upstreamEvents} counters turn that into bytes and events per
 * second, and {@code -prof gc}'s {@code gc.alloc.rate.norm} divided by the events per stream
 * (printed at setup) is the allocation per event. {@link #encodeOnly} measures the Anthropic
 * encoder without the shared SSE reader and chunk decoder in front of it.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class AnthropicStreamTranslationBenchmark extends ThroughputSettings {
    /** {@code text}: a 1,000-token answer; {@code tools}: reasoning, text and two parallel calls with streamed arguments. */
    @Param({"text", "tools"})
    public String shape;

    private byte[] sse;
    private int events;
    private List<StreamEvent> canonical;

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
    public void captureStream() {
        CapturedChunks chunks = new CapturedChunks(new SplittableRandom(42));
        if (shape.equals("tools")) {
            chunks.reasoning(600).text(400).toolCall(0, "call_Yk3r", "get_weather", "{\"city\":\"Paris\",\"unit\":\"celsius\",\"days\":3}")
                    .toolCall(1, "call_Zq8w", "search_documents", "{\"query\":\"quarterly revenue by region\",\"limit\":10}");
        } else {
            chunks.text(4_000);
        }
        sse = chunks.finish(shape.equals("tools") ? "tool_calls" : "stop").getBytes(StandardCharsets.UTF_8);
        events = chunks.events();
        canonical = new ArrayList<>();
        ChatStreamDecoder decoder = new ChatStreamDecoder(ToolNames.NONE, Set.of());
        try {
            SseReader reader = new SseReader(new ByteArrayInputStream(sse));
            for (SseEvent event; (event = reader.next()) != null; ) {
                decoder.decode(event, canonical::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.printf("%n[%s] %d bytes of SSE, %d upstream events, %d canonical events per stream%n", shape, sse.length, events,
                canonical.size());
    }

    @Benchmark
    public Progress translate(Volume volume) throws IOException {
        ClientResponse out = new ClientResponse(DiscardingSink.INSTANCE, new RequestContext("req_bench", 0), new Headers());
        TranslatingStream stream = new TranslatingStream(new ChatStreamDecoder(ToolNames.NONE, Set.of()),
                new MessagesStreamEncoder(out, "claude-sonnet-4-5", "openai", () -> 0));
        SseReader reader = new SseReader(new ByteArrayInputStream(sse));
        Progress progress = Progress.CONTINUE;
        for (SseEvent event; progress == Progress.CONTINUE && (event = reader.next()) != null; ) {
            progress = stream.onEvent(event, out);
        }
        volume.sseBytes += sse.length;
        volume.upstreamEvents += events;
        return progress;
    }

    /** The Anthropic encoder alone, fed the already decoded canonical events: the dialect's own share of the cost. */
    @Benchmark
    public void encodeOnly(Volume volume) {
        ClientResponse out = new ClientResponse(DiscardingSink.INSTANCE, new RequestContext("req_bench", 0), new Headers());
        MessagesStreamEncoder encoder = new MessagesStreamEncoder(out, "claude-sonnet-4-5", "openai", () -> 0);
        for (StreamEvent event : canonical) {
            encoder.onEvent(event);
        }
        encoder.onComplete();
        volume.sseBytes += sse.length;
        volume.upstreamEvents += events;
    }
}
