package io.llmgw.bench.jmh;

import io.llmgw.core.dialect.Passthrough;
import io.llmgw.core.dialect.RequestedModel;
import io.llmgw.core.http.Headers;
import io.llmgw.core.relay.StreamTranslator;
import io.llmgw.core.spi.Progress;
import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.stream.SseReader;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.web.ClientResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * An upstream stream the stream benchmarks share: its SSE bytes and how many events it has.
 *
 * @param sse the stream as the upstream sends it
 * @param events the events in it
 */
record ShapedStream(byte[] sse, int events) {
    /** What the step made of one upstream event. */
    interface Step {
        Progress onEvent(SseEvent event) throws IOException;
    }

    /**
     * The chat-completions stream of a benchmark's {@code shape}: {@code text} a 1,000-word answer;
     * {@code tools} reasoning, text and two parallel calls with streamed arguments.
     */
    static ShapedStream chat(String shape) {
        CapturedChunks chunks = new CapturedChunks(new SplittableRandom(42));
        if (shape.equals("tools")) {
            chunks.reasoning(600).text(400).toolCall(0, "call_Yk3r", "get_weather", "{\"city\":\"Paris\",\"unit\":\"celsius\",\"days\":3}")
                    .toolCall(1, "call_Zq8w", "search_documents", "{\"query\":\"quarterly revenue by region\",\"limit\":10}");
        } else {
            chunks.text(4_000);
        }
        byte[] sse = chunks.finish(shape.equals("tools") ? "tool_calls" : "stop").getBytes(StandardCharsets.UTF_8);
        return new ShapedStream(sse, chunks.events());
    }

    /** The same stream written in another upstream's events, counting them. */
    static ShapedStream of(byte[] sse) throws IOException {
        int events = 0;
        SseReader reader = new SseReader(new ByteArrayInputStream(sse));
        while (reader.next() != null) {
            events++;
        }
        return new ShapedStream(sse, events);
    }

    /** Reads the stream event by event into {@code step} until the step stops continuing or the stream ends; what it said last. */
    Progress play(Step step) throws IOException {
        SseReader reader = new SseReader(new ByteArrayInputStream(sse));
        Progress progress = Progress.CONTINUE;
        for (SseEvent event; progress == Progress.CONTINUE && (event = reader.next()) != null; ) {
            progress = step.onEvent(event);
        }
        return progress;
    }

    /** {@link #play}, failing unless the stream was finished: a benchmark must not time a stream cut short. */
    Progress playToTheEnd(Step step) throws IOException {
        Progress progress = play(step);
        if (progress != Progress.FINISHED) {
            throw new IllegalStateException("the stream did not finish: " + progress);
        }
        return progress;
    }

    /**
     * The whole stream through a dialect's passthrough relay, as a client that asked for
     * {@code model} gets it, into a response whose sink discards the bytes.
     */
    Progress relay(Passthrough passthrough, String model) throws IOException {
        RequestContext ctx = new RequestContext("req_bench", 0);
        ClientResponse out = new ClientResponse(DiscardingSink.INSTANCE, ctx, new Headers());
        StreamTranslator relay = passthrough.streamTranslator(new RequestedModel(model, ctx), ctx);
        return playToTheEnd(event -> relay.onEvent(event, out));
    }

    void describe(String shape) {
        System.out.printf("%n[%s] %d bytes of SSE, %d upstream events per stream%n", shape, sse.length, events);
    }
}
