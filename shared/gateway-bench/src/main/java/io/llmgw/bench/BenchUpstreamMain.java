package io.llmgw.bench;

import io.llmgw.testing.AnthropicScript;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.RecordedRequest;
import io.llmgw.testing.Reply;
import java.time.Duration;
import java.util.function.Function;

/**
 * The fake upstream for load runs: the same scripted answer as
 * {@link io.llmgw.testing.FakeUpstreamMain}, but it drops the requests {@link FakeUpstream}
 * records once a second. Over a full run (about 200,000 requests) that log would otherwise grow
 * to hundreds of megabytes, and the garbage collector copying it would add pauses to both
 * targets' latencies. {@code java -cp gateway-bench.jar io.llmgw.bench.BenchUpstreamMain [port [eventDelayMillis [chunks]]]}:
 * with an event delay, streamed events come that many milliseconds apart, and with a chunk count
 * the streamed text is that many 8-character chunks (slow streams that stay in flight, for
 * stream-memory.sh); then a request for at most 16 tokens ({@code max_tokens}) still gets the short answer at once.
 * A request to {@code /v1/messages} is answered as Anthropic's Messages API answers (the same text).
 * Each piece of an answer goes in one write ({@link FakeUpstream#wholeWrites}), as an HTTP server
 * writes it: with a write per framing piece, a direct caller's first byte was timed at a chunk's
 * size line, before the data every relay must wait for, and a stream's pieces took ~0.09 ms of
 * writes to deliver (README › Benchmarks).
 */
public final class BenchUpstreamMain {
    private BenchUpstreamMain() {}

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        Duration eventDelay = Duration.ofMillis(args.length > 1 ? Long.parseLong(args[1]) : 0);
        String shortText = "Hello! How can I help you today?";
        String text = args.length > 2 ? "lorem ip".repeat(Integer.parseInt(args[2])) : shortText;
        Function<RecordedRequest, Reply> quick = answers(shortText);
        Function<RecordedRequest, Reply> script = answers(text);
        FakeUpstream upstream = FakeUpstream.start(port).wholeWrites();
        if (args.length > 1) {
            // slow streams: a request for at most 16 tokens (stream-memory.sh's warm-up) still gets the short answer at once
            upstream.handler(request -> Math.min(request.json().path("max_tokens").asInt(Integer.MAX_VALUE),
                    request.json().path("max_completion_tokens").asInt(Integer.MAX_VALUE)) <= 16 ? quick.apply(request)
                    : script.apply(request).eventDelay(eventDelay));
        } else {
            upstream.handler(script);
        }
        System.out.println("fake upstream listening on " + upstream.baseUrl());
        while (true) {
            Thread.sleep(1000);
            upstream.clear();
        }
    }

    /** The text in 8-character chunks, as a chat completion, or as an Anthropic message for a request to {@code /v1/messages}. */
    private static Function<RecordedRequest, Reply> answers(String text) {
        ChatScript chat = ChatScript.text(text).chunkSize(8).usage(20, 9);
        AnthropicScript anthropic = AnthropicScript.text(text).chunkSize(8).usage(20, 9);
        return request -> request.path().endsWith("/messages") ? anthropic.reply(request) : chat.reply(request);
    }
}
