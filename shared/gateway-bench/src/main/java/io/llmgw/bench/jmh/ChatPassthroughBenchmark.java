package io.llmgw.bench.jmh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.dialect.Passthrough;
import io.llmgw.core.dialect.RequestedModel;
import io.llmgw.core.dialect.openai.chat.ChatDialect;
import io.llmgw.core.http.Headers;
import io.llmgw.core.json.Json;
import io.llmgw.core.relay.StreamTranslator;
import io.llmgw.core.spi.Progress;
import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.stream.SseReader;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.web.ClientResponse;
import io.llmgw.core.web.GatewayRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * A chat-completions stream relayed to a chat-completions client, the path of every chat request
 * to a chat upstream: the captured-style chunks of {@link CapturedChunks} read by {@link SseReader}
 * and passed through the chat dialect's stream relay (model name rewritten to the one asked for,
 * empty chunks dropped, usage kept back unless asked for) into a response whose sink discards the
 * bytes. One operation is one whole stream; {@code -prof gc}'s {@code gc.alloc.rate.norm} divided
 * by the events per stream (printed at setup) is the allocation per chunk.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class ChatPassthroughBenchmark extends ThroughputSettings {
    /** {@code text}: a 1,000-word answer; {@code tools}: reasoning, text and two parallel calls with streamed arguments. */
    @Param({"text", "tools"})
    public String shape;

    private byte[] sse;
    private int events;
    private Passthrough passthrough;

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
        sse = chunks.finish(shape.equals("tools") ? "tool_calls" : "stop").getBytes(StandardCharsets.UTF_8);
        events = chunks.events();
        byte[] body = "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        passthrough = new ChatDialect().passthrough((ObjectNode) Json.parse(body),
                new GatewayRequest("POST", "/v1/chat/completions", null, new Headers(), body, null, null));
        System.out.printf("%n[%s] %d bytes of SSE, %d upstream events per stream%n", shape, sse.length, events);
    }

    @Benchmark
    public Progress relay(Volume volume) throws IOException {
        RequestContext ctx = new RequestContext("req_bench", 0);
        ClientResponse out = new ClientResponse(DiscardingSink.INSTANCE, ctx, new Headers());
        StreamTranslator stream = passthrough.streamTranslator(new RequestedModel("gpt-4o", ctx), ctx);
        SseReader reader = new SseReader(new ByteArrayInputStream(sse));
        Progress progress = Progress.CONTINUE;
        for (SseEvent event; progress == Progress.CONTINUE && (event = reader.next()) != null; ) {
            progress = stream.onEvent(event, out);
        }
        volume.sseBytes += sse.length;
        volume.upstreamEvents += events;
        return progress;
    }
}
