package io.llmgw.bench.jmh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.dialect.Passthrough;
import io.llmgw.core.dialect.openai.responses.ResponsesDialect;
import io.llmgw.core.dialect.openai.responses.ResponsesStreamEncoder;
import io.llmgw.core.http.Headers;
import io.llmgw.core.json.Json;
import io.llmgw.core.protocol.ToolNames;
import io.llmgw.core.protocol.openai.ChatStreamDecoder;
import io.llmgw.core.spi.Progress;
import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.stream.SseReader;
import io.llmgw.core.web.GatewayRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A native Responses stream relayed to a Responses client ({@code responses: native}), the path of
 * every Codex turn on an OpenAI or Azure upstream: the upstream's events read by {@link SseReader}
 * and relayed by the Responses dialect's passthrough stream (the upstream's dated model renamed to
 * the one asked for in the lifecycle events) into a response whose sink discards the bytes. The
 * upstream stream is the {@link CapturedChunks} shapes of {@link ChatPassthroughBenchmark} as
 * Responses events — made once at setup by the gateway's own chat → Responses translation, which
 * writes the events, fields and sequence numbers OpenAI sends: mostly
 * {@code response.output_text.delta}, {@code response.reasoning_summary_text.delta} and
 * {@code response.function_call_arguments.delta}. One operation is one whole stream;
 * {@code -prof gc}'s {@code gc.alloc.rate.norm} divided by the events per stream (printed at setup)
 * is the allocation per event.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class ResponsesPassthroughBenchmark extends ThroughputSettings {
    /** {@code text}: a 1,000-word answer; {@code tools}: reasoning, text and two parallel calls with streamed arguments. */
    @Param({"text", "tools"})
    public String shape;

    private ShapedStream stream;
    private Passthrough passthrough;


    @Setup(Level.Trial)
    public void captureStream() throws IOException {
        byte[] chat = ShapedStream.chat(shape).sse();
        byte[] body = "{\"model\":\"gpt-5\",\"stream\":true,\"input\":\"Hello\"}".getBytes(StandardCharsets.UTF_8);
        stream = ShapedStream.of(responsesEvents(chat, (ObjectNode) Json.parse(body)));
        // No response store: the passthrough never reads it.
        passthrough = new ResponsesDialect(null).passthrough((ObjectNode) Json.parse(body),
                new GatewayRequest("POST", "/v1/responses", null, new Headers(), body, null, null));
        stream.describe(shape);
    }

    /** The chat stream as the Responses events an upstream naming its dated model sends. */
    private static byte[] responsesEvents(byte[] chat, ObjectNode request) throws IOException {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        ResponsesStreamEncoder encoder = ResponsesStreamEncoder.forRequest(request, "gpt-5-2025-08-07", frames::writeBytes);
        ChatStreamDecoder decoder = new ChatStreamDecoder(ToolNames.NONE, Set.of());
        SseReader reader = new SseReader(new ByteArrayInputStream(chat));
        for (SseEvent event; (event = reader.next()) != null; ) {
            if (decoder.decode(event, encoder::onEvent) == Progress.FINISHED) {
                encoder.onComplete();
            }
        }
        return frames.toByteArray();
    }

    @Benchmark
    public Progress relay(StreamVolume volume) throws IOException {
        Progress progress = stream.relay(passthrough, "gpt-5");
        volume.add(stream);
        return progress;
    }
}
