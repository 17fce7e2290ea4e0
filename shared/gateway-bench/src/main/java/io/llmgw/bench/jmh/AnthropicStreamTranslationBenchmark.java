package io.llmgw.bench.jmh;

import io.llmgw.core.dialect.anthropic.MessagesStreamEncoder;
import io.llmgw.core.http.Headers;
import io.llmgw.core.model.StreamEvent;
import io.llmgw.core.protocol.ToolNames;
import io.llmgw.core.protocol.openai.ChatStreamDecoder;
import io.llmgw.core.spi.Progress;
import io.llmgw.core.relay.TranslatingStream;
import io.llmgw.core.stream.SseReader;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.web.ClientResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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

    private ShapedStream stream;
    private List<StreamEvent> canonical;


    @Setup(Level.Trial)
    public void captureStream() {
        stream = ShapedStream.chat(shape);
        canonical = new ArrayList<>();
        ChatStreamDecoder decoder = new ChatStreamDecoder(ToolNames.NONE, Set.of());
        try {
            stream.play(event -> decoder.decode(event, canonical::add));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.printf("%n[%s] %d bytes of SSE, %d upstream events, %d canonical events per stream%n", shape, stream.sse().length,
                stream.events(), canonical.size());
    }

    @Benchmark
    public Progress translate(StreamVolume volume) throws IOException {
        ClientResponse out = new ClientResponse(DiscardingSink.INSTANCE, new RequestContext("req_bench", 0), new Headers());
        TranslatingStream translation = new TranslatingStream(new ChatStreamDecoder(ToolNames.NONE, Set.of()),
                new MessagesStreamEncoder(out, "claude-sonnet-4-5", "openai", () -> 0));
        Progress progress = stream.play(event -> translation.onEvent(event, out));
        volume.add(stream);
        return progress;
    }

    /** The Anthropic encoder alone, fed the already decoded canonical events: the dialect's own share of the cost. */
    @Benchmark
    public void encodeOnly(StreamVolume volume) {
        ClientResponse out = new ClientResponse(DiscardingSink.INSTANCE, new RequestContext("req_bench", 0), new Headers());
        MessagesStreamEncoder encoder = new MessagesStreamEncoder(out, "claude-sonnet-4-5", "openai", () -> 0);
        for (StreamEvent event : canonical) {
            encoder.onEvent(event);
        }
        encoder.onComplete();
        volume.add(stream);
    }
}
