package io.llmgw.bench.jmh;

import io.llmgw.core.dialect.anthropic.MessagesStreamEncoder;
import io.llmgw.core.http.Headers;
import io.llmgw.core.protocol.ToolNames;
import io.llmgw.core.protocol.anthropic.AnthropicStreamDecoder;
import io.llmgw.core.protocol.openai.ChatStreamDecoder;
import io.llmgw.core.relay.TranslatingStream;
import io.llmgw.core.spi.Progress;
import io.llmgw.core.stream.SseReader;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.web.ClientResponse;
import java.io.IOException;
import java.util.Set;
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

    private ShapedStream stream;


    @Setup(Level.Trial)
    public void captureStream() throws IOException {
        stream = ShapedStream.of(anthropicEvents(ShapedStream.chat(shape)));
        stream.describe(shape);
    }

    /** The chat stream as the events of an Anthropic upstream. */
    private static byte[] anthropicEvents(ShapedStream chat) throws IOException {
        BufferingSink capture = new BufferingSink();
        ClientResponse out = new ClientResponse(capture, new RequestContext("req_bench", 0), new Headers());
        TranslatingStream translation = new TranslatingStream(new ChatStreamDecoder(ToolNames.NONE, Set.of()),
                new MessagesStreamEncoder(out, "claude-sonnet-4-5", "anthropic", () -> 0));
        chat.play(event -> translation.onEvent(event, out));
        return capture.body();
    }

    @Benchmark
    public Progress decode(StreamVolume volume, Blackhole blackhole) throws IOException {
        AnthropicStreamDecoder decoder = new AnthropicStreamDecoder(ToolNames.NONE, Set.of());
        Progress progress = stream.playToTheEnd(event -> decoder.decode(event, blackhole::consume));
        volume.add(stream);
        return progress;
    }
}
