package io.llmgw.bench.jmh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.dialect.Passthrough;
import io.llmgw.core.dialect.openai.chat.ChatDialect;
import io.llmgw.core.http.Headers;
import io.llmgw.core.json.Json;
import io.llmgw.core.spi.Progress;
import io.llmgw.core.stream.SseReader;
import io.llmgw.core.web.GatewayRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

    private ShapedStream stream;
    private Passthrough passthrough;


    @Setup(Level.Trial)
    public void captureStream() throws IOException {
        stream = ShapedStream.chat(shape);
        byte[] body = "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        passthrough = new ChatDialect().passthrough((ObjectNode) Json.parse(body),
                new GatewayRequest("POST", "/v1/chat/completions", null, new Headers(), body, null, null));
        stream.describe(shape);
    }

    @Benchmark
    public Progress relay(StreamVolume volume) throws IOException {
        Progress progress = stream.relay(passthrough, "gpt-4o");
        volume.add(stream);
        return progress;
    }
}
